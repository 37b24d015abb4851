import {
  MAX_SECRET_VALUE_BYTES,
  MAX_SECRETS_PER_ENVIRONMENT,
  RuleViolation,
  canonicalSecretName,
  environmentKey,
  environmentNameProblem,
  repositoryKey,
  secretNameProblem,
} from "./github-rules";
import { IssueComments } from "./issue-comments";
import { EnvironmentKey, newEnvironmentKey } from "./keys";

/** An out-of-band change is stamped at least this long after the secret's previous write. */
export const OUT_OF_BAND_DELAY_SECONDS = 5;

/** One stored secret. Times are whole epoch seconds. */
export interface SecretRecord {
  readonly name: string;
  readonly createdAt: number;
  updatedAt: number;
  value: Uint8Array;
}

export interface EnvironmentRecord {
  readonly id: number;
  readonly name: string;
  readonly createdAt: number;
  updatedAt: number;
  key: EnvironmentKey;
  /** Keyed by the upper-case name. */
  readonly secrets: Map<string, SecretRecord>;
}

export interface RepositoryRecord {
  readonly id: number;
  readonly owner: string;
  readonly name: string;
  readonly fullName: string;
  /** Keyed by environmentKey(name). */
  readonly environments: Map<string, EnvironmentRecord>;
}

/** Outcome of writing a secret, which decides 201 versus 204. */
export type WriteOutcome = "created" | "updated";

/**
 * The emulator's in-memory GitHub: repositories, environments, keys and secrets.
 * Knows nothing of HTTP; both the HTTP handlers and the test-side API go through it,
 * so GitHub's rules are enforced the same way on both paths.
 */
export class Store {
  private readonly repositories = new Map<string, RepositoryRecord>();
  private nextId = 1;
  /** Pull-request comments, for workflows that post a plan (not part of snapshots). */
  readonly comments: IssueComments;

  /** `now`: the clock every stamp comes from, in whole epoch seconds. */
  constructor(readonly now: () => number) {
    this.comments = new IssueComments(now);
  }

  addRepository(fullName: string): RepositoryRecord {
    const existing = this.repository(fullName);
    if (existing) return existing;
    const parts = fullName.split("/");
    if (parts.length !== 2 || parts.some((p) => p.length === 0)) {
      throw new Error(`Repository must be given as "owner/name", got "${fullName}"`);
    }
    const record: RepositoryRecord = {
      id: this.nextId++,
      owner: parts[0],
      name: parts[1],
      fullName,
      environments: new Map(),
    };
    this.repositories.set(repositoryKey(fullName), record);
    return record;
  }

  /** Every repository, in creation order. */
  allRepositories(): RepositoryRecord[] {
    return [...this.repositories.values()];
  }

  repository(fullName: string): RepositoryRecord | undefined {
    return this.repositories.get(repositoryKey(fullName));
  }

  /** Creates the environment, or returns it unchanged (key included) if it exists. */
  addEnvironment(repo: RepositoryRecord, name: string): EnvironmentRecord {
    const existing = repo.environments.get(environmentKey(name));
    if (existing) return existing;
    const problem = environmentNameProblem(name);
    if (problem) throw new RuleViolation(problem);
    const now = this.now();
    const record: EnvironmentRecord = {
      id: this.nextId++,
      name,
      createdAt: now,
      updatedAt: now,
      key: newEnvironmentKey(),
      secrets: new Map(),
    };
    repo.environments.set(environmentKey(name), record);
    return record;
  }

  environment(repo: RepositoryRecord, name: string): EnvironmentRecord | undefined {
    return repo.environments.get(environmentKey(name));
  }

  removeEnvironment(repo: RepositoryRecord, name: string): boolean {
    return repo.environments.delete(environmentKey(name));
  }

  rotateKey(env: EnvironmentRecord): EnvironmentKey {
    env.key = newEnvironmentKey(env.key.keyId);
    return env.key;
  }

  /** Secrets sorted by name, as GitHub lists them. */
  listSecrets(env: EnvironmentRecord): SecretRecord[] {
    return [...env.secrets.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  secret(env: EnvironmentRecord, name: string): SecretRecord | undefined {
    return env.secrets.get(canonicalSecretName(name));
  }

  /**
   * Creates or changes a secret after checking GitHub's rules (name, size, count).
   * `bumpPastPrevious` (out-of-band changes) stamps a time well after the last one.
   */
  writeSecret(
    env: EnvironmentRecord,
    name: string,
    value: Uint8Array,
    bumpPastPrevious: boolean,
  ): WriteOutcome {
    const problem = secretNameProblem(name);
    if (problem) throw new RuleViolation(problem);
    if (value.length > MAX_SECRET_VALUE_BYTES) {
      throw new RuleViolation(
        `Secret value is too large: the maximum size is 48 KB (${MAX_SECRET_VALUE_BYTES} bytes).`,
      );
    }
    const key = canonicalSecretName(name);
    const now = this.now();
    const existing = env.secrets.get(key);
    if (existing) {
      // An API write is stamped with the server's clock, as on GitHub (the same clock as the
      // response's Date header, which clients record). An out-of-band change is someone else's,
      // made later: it is stamped at least OUT_OF_BAND_DELAY_SECONDS after the last write, also
      // when a test makes it a millisecond after, so clients' allowance for clock skew between
      // GitHub's servers (a second or two) cannot hide it and drift tests are exact.
      existing.updatedAt = bumpPastPrevious
        ? Math.max(now, existing.updatedAt + OUT_OF_BAND_DELAY_SECONDS)
        : now;
      existing.value = value;
      return "updated";
    }
    if (env.secrets.size >= MAX_SECRETS_PER_ENVIRONMENT) {
      throw new RuleViolation(
        `Secret limit reached: an environment can hold at most ${MAX_SECRETS_PER_ENVIRONMENT} secrets.`,
      );
    }
    env.secrets.set(key, { name: key, createdAt: now, updatedAt: now, value });
    return "created";
  }

  deleteSecret(env: EnvironmentRecord, name: string): boolean {
    return env.secrets.delete(canonicalSecretName(name));
  }
}
