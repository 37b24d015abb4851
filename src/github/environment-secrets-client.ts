import type { RestEndpointMethodTypes } from "@octokit/rest" with { "resolution-mode": "import" };
import { normalizeSecretName, parseRepository } from "../rules";
import {
  baseUrlFromEnvironment,
  checkBaseUrl,
  type Credentials,
  credentialsFromEnvironment,
  InvalidBaseUrlError,
  MissingCredentialsError,
} from "./credentials";
import { type CallSubject, GithubUnavailableError, NoAnswerError, RepositoryNotFoundError } from "./errors";
import type { Logger } from "./logger";
import { silentLogger } from "./logger";
import { createOctokit, DEFAULT_RETRY_POLICY, type GithubApi, type RetryPolicy } from "./octokit";
import { githubPath } from "./paths";
import type { NoAnswerBreaker } from "./request-timeout";
import { isAppAuthFailure, translateError } from "./translate-error";

/** One environment of one repository. */
export interface EnvironmentRef {
  /** `owner/name` */
  readonly repository: string;
  readonly environment: string;
}

/** One secret of one environment. */
export interface SecretRef extends EnvironmentRef {
  readonly secretName: string;
}

/** What GitHub tells about a secret: never its value. */
export interface SecretMetadata {
  readonly name: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface EnvironmentPublicKey {
  readonly keyId: string;
  /** Standard base64 of the X25519 public key. */
  readonly key: string;
}

export interface PutResult {
  /** True for 201 (the secret did not exist), false for 204. */
  readonly created: boolean;
  /** GitHub's clock when it answered (the `Date` header), ISO 8601 to the second. */
  readonly answeredAt: string;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the request (and its retries and waits), e.g. when Terraform is interrupted. */
  readonly signal?: AbortSignal;
}

export interface ClientOptions {
  /** Default: GITHUB_TOKEN, then GH_TOKEN. */
  readonly credentials?: Credentials;
  /** Default: GITHUB_API_URL, then https://api.github.com. */
  readonly baseUrl?: string;
  /** Minimum gap between writes in ms. Default 1000, as GitHub asks. */
  readonly writeDelayMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly logger?: Logger;
  readonly userAgent?: string;
}

const PAGE_SIZE = 100;

function subjectOf(ref: EnvironmentRef, secretName?: string): CallSubject & EnvironmentRef {
  return { repository: ref.repository, environment: ref.environment, secretName };
}

/** `/repos/{owner}/{repo}`, every segment encoded by us (see githubPath). */
function repositoryPath(subject: CallSubject): string {
  const { owner, name } = parseRepository(subject.repository);
  return githubPath(subject, ["repos", owner, name]);
}

/** `/repos/{owner}/{repo}/environments/{environment}/secrets[/{tail}]`, every segment encoded by us. */
function secretsPath(subject: CallSubject & EnvironmentRef, tail?: string): string {
  const { owner, name } = parseRepository(subject.repository);
  const segments = ["repos", owner, name, "environments", subject.environment, "secrets"];
  return githubPath(subject, tail === undefined ? segments : [...segments, tail]);
}

interface SecretListing {
  name: string;
  created_at: string;
  updated_at: string;
}

/** GitHub compares repository and environment names without letter case: so do the caches. */
function environmentKey(ref: EnvironmentRef): string {
  return JSON.stringify([ref.repository.toLowerCase(), ref.environment.toLowerCase()]);
}

function cancelled(subject: CallSubject): GithubUnavailableError {
  return new GithubUnavailableError(subject, 0, "the GitHub call was cancelled (Terraform is stopping)");
}

/** `Date` headers are RFC 7231 dates; state records ISO 8601 like GitHub's own timestamps. */
export function isoFromDateHeader(header: unknown): string {
  const parsed = typeof header === "string" ? Date.parse(header) : NaN;
  return new Date(Number.isNaN(parsed) ? Date.now() : parsed).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * GitHub Actions environment secrets over the REST API.
 *
 * Costs are the point of the caches: one key fetch per environment and one listing per
 * environment (per 100 secrets) for the life of the process, shared by concurrent callers.
 * A write or delete drops that environment's listing, so a later read sees it.
 */
export class EnvironmentSecretsClient {
  private api?: Promise<GithubApi>;
  private readonly keys = new Map<string, Promise<EnvironmentPublicKey>>();
  private readonly listings = new Map<string, Promise<Map<string, SecretMetadata> | undefined>>();
  private readonly logger: Logger;
  private readonly baseUrl: string;
  private readonly breaker: NoAnswerBreaker = {};

  /** Throws InvalidBaseUrlError when the base URL (given or from GITHUB_API_URL) is not an http(s) URL. */
  constructor(private readonly options: ClientOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.baseUrl = (options.baseUrl ?? baseUrlFromEnvironment()).replace(/\/+$/, "");
    const problem = checkBaseUrl(this.baseUrl);
    if (problem) throw new InvalidBaseUrlError(problem);
  }

  /** Fails fast, without a network call, when no credential is available. */
  assertCredentials(): Credentials {
    const credentials = this.options.credentials ?? credentialsFromEnvironment();
    if (!credentials) throw new MissingCredentialsError();
    return credentials;
  }

  private octokit(): Promise<GithubApi> {
    this.api ??= createOctokit({
      credentials: this.assertCredentials(),
      baseUrl: this.baseUrl,
      writeDelayMs: this.options.writeDelayMs ?? 1000,
      retry: { ...DEFAULT_RETRY_POLICY, ...this.options.retry },
      logger: this.logger,
      userAgent: this.options.userAgent ?? "cdktf-github-secrets",
      breaker: this.breaker,
    }).catch((error: unknown) => {
      this.api = undefined;
      throw error;
    });
    return this.api;
  }

  /** Shares one in-flight promise per key; a failure is not cached. */
  private static cached<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    let pending = cache.get(key);
    if (!pending) {
      pending = load();
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
    }
    return pending;
  }

  /** A 404 on an environment path: tell a missing repository from a missing environment. */
  private async explain404(error: unknown, subject: CallSubject): Promise<Error> {
    return (await this.repositoryNotFound(subject)) ?? translateError(error, subject, "environment");
  }

  /** The error to report when the repository itself answers 404 (missing, or hidden from these credentials). */
  private async repositoryNotFound(
    subject: CallSubject,
    options: CallOptions = {},
  ): Promise<Error | undefined> {
    const api = await this.octokit();
    try {
      await api.request(`GET ${repositoryPath(subject)}`, { request: { signal: options.signal } });
      return undefined;
    } catch (repoError) {
      return (repoError as { status?: number }).status === 404
        ? translateError(repoError, subject, "repository")
        : undefined;
    }
  }

  /**
   * Runs one GitHub call with this client's Octokit (pacing, retries, rate limits, timeouts) and turns
   * its failure into a typed error naming `subject`. Public so that the variables client shares it all.
   */
  async call<T>(subject: CallSubject, options: CallOptions, run: (api: GithubApi) => Promise<T>): Promise<T> {
    const api = await this.octokit();
    try {
      return await run(api);
    } catch (error) {
      // Checked first: a cancelled fetch can surface as a generic 500 from Octokit.
      if (options.signal?.aborted) throw cancelled(subject);
      if ((error as { status?: number }).status === 404 && !isAppAuthFailure(error))
        throw await this.explain404(error, subject);
      throw this.translate(error, subject);
    }
  }

  /** translateError, opening the breaker when GitHub gave no answer at all. */
  private translate(error: unknown, subject: CallSubject): Error {
    const translated = translateError(error, subject);
    if (translated instanceof NoAnswerError) this.breaker.reason ??= translated.reason;
    return translated;
  }

  /** The environment's public key, fetched once per process unless `refresh` is set. */
  getPublicKey(
    ref: EnvironmentRef,
    options: { refresh?: boolean } & CallOptions = {},
  ): Promise<EnvironmentPublicKey> {
    const key = environmentKey(ref);
    if (options.refresh) this.keys.delete(key);
    const subject = subjectOf(ref);
    return EnvironmentSecretsClient.cached(this.keys, key, () =>
      this.call(subject, options, async (api) => {
        // A path built here (every segment encoded) leaves Octokit without the route's type.
        const { data } = (await api.request(`GET ${secretsPath(subject, "public-key")}`, {
          request: { signal: options.signal },
        })) as RestEndpointMethodTypes["actions"]["getEnvironmentPublicKey"]["response"];
        this.logger.debug("fetched environment public key", {
          repository: ref.repository,
          environment: ref.environment,
          key_id: data.key_id,
        });
        return { keyId: data.key_id, key: data.key };
      }),
    );
  }

  /**
   * Every secret of the environment by upper-case name, listed once per process.
   * Undefined when the environment does not exist (its secrets are gone with it);
   * a missing or invisible repository is an error.
   */
  listSecrets(
    ref: EnvironmentRef,
    options: CallOptions = {},
  ): Promise<Map<string, SecretMetadata> | undefined> {
    return EnvironmentSecretsClient.cached(this.listings, environmentKey(ref), async () => {
      try {
        const subject = subjectOf(ref);
        return await this.call(subject, options, async (api) => {
          const secrets: SecretListing[] = await api.paginate(`GET ${secretsPath(subject)}`, {
            per_page: PAGE_SIZE,
            request: { signal: options.signal },
          });
          this.logger.debug("listed environment secrets", {
            repository: ref.repository,
            environment: ref.environment,
            count: secrets.length,
          });
          return new Map(
            secrets.map((s) => [
              normalizeSecretName(s.name),
              { name: s.name, createdAt: s.created_at, updatedAt: s.updated_at },
            ]),
          );
        });
      } catch (error) {
        if (error instanceof RepositoryNotFoundError) throw error;
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      }
    });
  }

  /** One secret's metadata by a direct GET (import uses it); undefined when absent. */
  async getSecret(ref: SecretRef, options: CallOptions = {}): Promise<SecretMetadata | undefined> {
    const secretName = normalizeSecretName(ref.secretName);
    const subject = subjectOf(ref, secretName);
    try {
      return await this.call(subject, options, async (api) => {
        const { data } = (await api.request(`GET ${secretsPath(subject, secretName)}`, {
          request: { signal: options.signal },
        })) as RestEndpointMethodTypes["actions"]["getEnvironmentSecret"]["response"];
        return { name: data.name, createdAt: data.created_at, updatedAt: data.updated_at };
      });
    } catch (error) {
      if (error instanceof RepositoryNotFoundError) throw error;
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  }

  /** Creates or replaces a secret with an already sealed value (GitHub's PUT is an upsert). */
  async putSecret(
    ref: SecretRef,
    sealed: { encryptedValue: string; keyId: string },
    options: CallOptions = {},
  ): Promise<PutResult> {
    const secretName = normalizeSecretName(ref.secretName);
    this.listings.delete(environmentKey(ref));
    const subject = subjectOf(ref, secretName);
    return this.call(subject, options, async (api) => {
      const response = await api.request(`PUT ${secretsPath(subject, secretName)}`, {
        encrypted_value: sealed.encryptedValue,
        key_id: sealed.keyId,
        request: { signal: options.signal },
      });
      return { created: response.status === 201, answeredAt: isoFromDateHeader(response.headers.date) };
    });
  }

  /** Deletes a secret; false when it was already gone (404), which callers treat as success. */
  async deleteSecret(ref: SecretRef, options: CallOptions = {}): Promise<boolean> {
    const secretName = normalizeSecretName(ref.secretName);
    this.listings.delete(environmentKey(ref));
    const subject = subjectOf(ref, secretName);
    const path = secretsPath(subject, secretName);
    const api = await this.octokit();
    try {
      await api.request(`DELETE ${path}`, { request: { signal: options.signal } });
      return true;
    } catch (error) {
      if (options.signal?.aborted) throw cancelled(subjectOf(ref, secretName));
      if ((error as { status?: number }).status !== 404)
        throw this.translate(error, subjectOf(ref, secretName));
      // Gone with its environment, or never there: done. But a repository these credentials no
      // longer see proves nothing, and "deleted" would drop a secret that may still exist.
      const hidden = await this.repositoryNotFound(subjectOf(ref, secretName), options);
      if (hidden) throw hidden;
      return false;
    }
  }
}
