import { readFile } from "node:fs/promises";
import {
  baseUrlFromEnvironment,
  checkBaseUrl,
  createFingerprinter,
  type Credentials,
  credentialsFromEnvironment,
  EnvironmentSecretLifecycle,
  EnvironmentSecretsClient,
  EnvironmentSecretSetLifecycle,
  EnvironmentVariableLifecycle,
  EnvironmentVariablesClient,
  type Fingerprinter,
  FingerprintKeyError,
} from "../lifecycle";
import {
  type Attributes,
  type ConfigureResult,
  type Diagnostic,
  isUnknown,
  type ObjectValue,
  type ResourceContext,
  type Value,
} from "./framework";

/** What `configure` hands to every resource call of the process. */
export interface ProviderData {
  readonly lifecycle: EnvironmentSecretLifecycle;
  /** The environments' whole secret sets (exclusive owners); shares the client and its listings. */
  readonly secretSets: EnvironmentSecretSetLifecycle;
  /** Environment variables; their client shares the secrets client's Octokit and pacing. */
  readonly variables: EnvironmentVariableLifecycle;
  /** The environment the provider reads `value_env` variables from. */
  readonly env: NodeJS.ProcessEnv;
  /** How value fingerprints are made: scrypt, or an HMAC when `fingerprint_key_env` names a key. */
  readonly fingerprints: Fingerprinter;
}

export const providerAttributes: Attributes = {
  token: {
    type: "string",
    optional: true,
    sensitive: true,
    description:
      "GitHub token with Secrets write and Environments read permission (classic: repo scope). Default: GITHUB_TOKEN, then GH_TOKEN.",
  },
  app_id: {
    type: "string",
    optional: true,
    description: "GitHub App id, to authenticate as an App installation. Default: GITHUB_APP_ID.",
  },
  installation_id: {
    type: "string",
    optional: true,
    description: "GitHub App installation id. Default: GITHUB_APP_INSTALLATION_ID.",
  },
  private_key: {
    type: "string",
    optional: true,
    sensitive: true,
    description: "PEM private key of the GitHub App. Default: GITHUB_APP_PRIVATE_KEY.",
  },
  private_key_path: {
    type: "string",
    optional: true,
    description: "Path of a file holding the App's PEM private key. Default: GITHUB_APP_PRIVATE_KEY_PATH.",
  },
  private_key_env: {
    type: "string",
    optional: true,
    description:
      "Name of an environment variable of terraform's that holds the App's PEM private key. Default: GITHUB_APP_PRIVATE_KEY.",
  },
  base_url: {
    type: "string",
    optional: true,
    description:
      "REST API root, for GitHub Enterprise Server or the emulator. Default: GITHUB_API_URL, then https://api.github.com.",
  },
  write_delay_ms: {
    type: "number",
    optional: true,
    description:
      "Minimum gap between two writes, in milliseconds. Default 1000, as GitHub asks of integrations; 0 when base_url is a loopback address (the emulator).",
  },
  fingerprint_key_env: {
    type: "string",
    optional: true,
    description:
      "Name of an environment variable holding a random key (at least 32 bytes, e.g. `openssl rand -base64 32`) that makes value fingerprints keyed HMACs: microseconds to derive, and no guess of a value can be tested from the state without the key. Unset: salted scrypt. Changing or removing the key rewrites every secret once (same values); the plan says so.",
  },
  max_retries: {
    type: "number",
    optional: true,
    description:
      "Retries of a 5xx answer or a dropped connection, and waits for a rate limit, before failing. Default 3.",
  },
  max_rate_limit_wait_seconds: {
    type: "number",
    optional: true,
    description:
      "Longest wait for a rate limit that GitHub asks for (retry-after, or the reset of the hourly limit), in seconds; a longer one fails at once, saying how long GitHub asked. Default 900.",
  },
  request_timeout_ms: {
    type: "number",
    optional: true,
    description:
      "Longest wait for one answer from GitHub, in milliseconds; an attempt that gets none is abandoned and retried (max_retries). Default 30000.",
  },
};

/** GitHub's pacing protects GitHub; an API on this machine (the emulator, a proxy) needs none. */
function isLoopback(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === "localhost" || host === "[::1]" || /^127\./.test(host);
  } catch {
    return false;
  }
}

function text(value: Value | undefined): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function count(value: Value | undefined): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Checks what can be checked before configure: numbers in range, App settings complete. */
export function validateProviderConfig(config: ObjectValue): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const name of ["write_delay_ms", "max_retries", "request_timeout_ms", "max_rate_limit_wait_seconds"]) {
    const value = config[name];
    if (typeof value === "number" && (!Number.isInteger(value) || value < 0)) {
      problems.push({
        severity: "error",
        summary: `${name} must be a whole number of 0 or more`,
        attribute: name,
      });
    }
  }
  if (config.request_timeout_ms === 0) {
    problems.push({
      severity: "error",
      summary: "request_timeout_ms must be at least 1: it bounds the wait for each answer from GitHub",
      attribute: "request_timeout_ms",
    });
  }
  const baseUrl = text(config.base_url);
  const baseUrlProblem = baseUrl === undefined ? undefined : checkBaseUrl(baseUrl);
  if (baseUrlProblem) {
    problems.push({
      severity: "error",
      summary: `Invalid base_url: ${baseUrlProblem}`,
      attribute: "base_url",
    });
  }
  const keySources = ["private_key", "private_key_path", "private_key_env"].filter((name) =>
    text(config[name]),
  );
  if (keySources.length > 1) {
    problems.push({
      severity: "error",
      summary: `Give only one of ${keySources.join(", ")}: each is a way to give the App's private key`,
      attribute: keySources[1],
    });
  }
  return problems;
}

const NO_CREDENTIALS =
  "Set GITHUB_TOKEN (or GH_TOKEN) in the environment of terraform, or the provider's token attribute, " +
  "to a token with Secrets write and Environments read permission on the repositories (classic token: the repo scope). " +
  "To use a GitHub App instead, set app_id, installation_id and private_key, private_key_env or private_key_path " +
  "(or GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_PATH).";

async function resolveCredentials(
  config: ObjectValue,
  env: NodeJS.ProcessEnv,
): Promise<Credentials | Diagnostic> {
  const token = text(config.token);
  if (token) return { kind: "token", token };

  const appId = text(config.app_id) ?? env.GITHUB_APP_ID;
  const installationId = text(config.installation_id) ?? env.GITHUB_APP_INSTALLATION_ID;
  if (appId || installationId) {
    const keyPath = text(config.private_key_path) ?? env.GITHUB_APP_PRIVATE_KEY_PATH;
    const keyVariable = text(config.private_key_env);
    if (keyVariable && !env[keyVariable]) {
      return {
        severity: "error",
        summary: `The environment variable ${keyVariable} (private_key_env) is not set`,
        detail: `Export ${keyVariable} with the GitHub App's PEM private key where terraform runs, or change private_key_env.`,
        attribute: "private_key_env",
      };
    }
    let privateKey =
      text(config.private_key) ?? (keyVariable ? env[keyVariable] : undefined) ?? env.GITHUB_APP_PRIVATE_KEY;
    if (!privateKey && keyPath) {
      try {
        privateKey = await readFile(keyPath, "utf8");
      } catch (error) {
        return {
          severity: "error",
          summary: `Cannot read the GitHub App private key file ${keyPath}`,
          detail: (error as NodeJS.ErrnoException).code ?? "unreadable",
          attribute: "private_key_path",
        };
      }
    }
    if (!appId || !installationId || !privateKey) {
      const missing = [
        !appId && "app_id",
        !installationId && "installation_id",
        !privateKey && "private_key, private_key_env or private_key_path",
      ].filter(Boolean);
      return {
        severity: "error",
        summary: `Incomplete GitHub App credentials: set ${missing.join(", ")}`,
        detail: NO_CREDENTIALS,
      };
    }
    return { kind: "app", appId, installationId, privateKey };
  }

  return (
    credentialsFromEnvironment(env) ?? {
      severity: "error",
      summary: "No GitHub credentials",
      detail: NO_CREDENTIALS,
    }
  );
}

/** The fingerprint mode `fingerprint_key_env` asks for, or a diagnostic pointing at it. */
function fingerprinterFor(config: ObjectValue, env: NodeJS.ProcessEnv): Fingerprinter | Diagnostic {
  const variable = text(config.fingerprint_key_env);
  if (!variable) return createFingerprinter();
  const key = env[variable];
  const problem = (summary: string, detail: string): Diagnostic => ({
    severity: "error",
    summary,
    detail,
    attribute: "fingerprint_key_env",
  });
  if (!key) {
    return problem(
      `The environment variable ${variable} (fingerprint_key_env) is not set`,
      `Export ${variable} with the fingerprint key where terraform runs (e.g. from a CI secret), or remove fingerprint_key_env to use scrypt fingerprints.`,
    );
  }
  try {
    return createFingerprinter(key);
  } catch (error) {
    if (!(error instanceof FingerprintKeyError)) throw error;
    return problem(`The fingerprint key in ${variable} (fingerprint_key_env) is too short`, error.message);
  }
}

/** Builds the client and lifecycle once per provider process. No network call happens here. */
export async function configureProvider(
  config: ObjectValue,
  ctx: ResourceContext,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ConfigureResult<ProviderData>> {
  if (Object.values(config).some(isUnknown)) {
    return {
      diagnostics: [
        {
          severity: "error",
          summary: "Provider settings are not known yet",
          detail:
            "The ghsecrets provider settings depend on values known only after apply; use variables or environment variables instead.",
        },
      ],
    };
  }
  const credentials = await resolveCredentials(config, env);
  if ("severity" in credentials) return { diagnostics: [credentials] };
  const fingerprints = fingerprinterFor(config, env);
  if ("severity" in fingerprints) return { diagnostics: [fingerprints] };

  const maxRetries = count(config.max_retries);
  const requestTimeoutMs = count(config.request_timeout_ms);
  const maxRateLimitWaitSeconds = count(config.max_rate_limit_wait_seconds);
  const baseUrl = text(config.base_url) ?? baseUrlFromEnvironment(env);
  const baseUrlProblem = checkBaseUrl(baseUrl);
  if (baseUrlProblem) {
    return {
      diagnostics: [
        {
          severity: "error",
          summary: `Invalid ${text(config.base_url) ? "base_url" : "GITHUB_API_URL"}: ${baseUrlProblem}`,
          attribute: text(config.base_url) ? "base_url" : undefined,
        },
      ],
    };
  }
  const client = new EnvironmentSecretsClient({
    credentials,
    baseUrl,
    writeDelayMs: count(config.write_delay_ms) ?? (isLoopback(baseUrl) ? 0 : undefined),
    retry: {
      ...(maxRetries === undefined ? {} : { maxRetries, maxRateLimitWaits: maxRetries }),
      ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
      ...(maxRateLimitWaitSeconds === undefined ? {} : { maxRateLimitWaitSeconds }),
    },
    logger: ctx.logger,
  });
  return {
    data: {
      lifecycle: new EnvironmentSecretLifecycle(client),
      secretSets: new EnvironmentSecretSetLifecycle(client),
      variables: new EnvironmentVariableLifecycle(new EnvironmentVariablesClient(client)),
      env,
      fingerprints,
    },
  };
}
