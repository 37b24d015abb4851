/** A personal access token, fine-grained token or installation token. */
export interface TokenCredentials {
  readonly kind: "token";
  readonly token: string;
}

/** A GitHub App installation: the client mints installation tokens itself. */
export interface AppCredentials {
  readonly kind: "app";
  readonly appId: string;
  readonly installationId: string;
  /** PEM text of the App's private key. */
  readonly privateKey: string;
}

export type Credentials = TokenCredentials | AppCredentials;

/** Raised when no credential can be found; the message lists every way to give one. */
export class MissingCredentialsError extends Error {
  constructor(detail?: string) {
    super(
      (detail ? `${detail}. ` : "") +
        "No GitHub credentials: set GITHUB_TOKEN (or GH_TOKEN) to a token with Secrets write and " +
        "Environments read permission (classic tokens: the repo scope), or give a GitHub App " +
        "(app_id, installation_id and private_key, private_key_env or private_key_path)",
    );
    this.name = "MissingCredentialsError";
  }
}

/** Explicit settings win; otherwise GITHUB_TOKEN, then GH_TOKEN. */
export function credentialsFromEnvironment(env: NodeJS.ProcessEnv = process.env): Credentials | undefined {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  return token ? { kind: "token", token } : undefined;
}

/** The REST API root: GITHUB_API_URL (GitHub Enterprise Server, the emulator) or api.github.com. */
export function baseUrlFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  return (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");
}

/** Raised for a base URL that is not an http(s) URL; the message says what to give instead. */
export class InvalidBaseUrlError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = "InvalidBaseUrlError";
  }
}

/**
 * Why `url` cannot be the REST API root, or undefined when it can. Checked before any request:
 * fetch would otherwise fail each call with "Invalid URL", reported as if GitHub had answered.
 * The URL itself is shown only without credentials.
 */
export function checkBaseUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `base URL "${url}" is not an http(s) URL: give the REST API root, such as https://api.github.com or https://github.example.com/api/v3`;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    parsed.username = "";
    parsed.password = "";
    return `base URL "${parsed.toString()}" is not an http(s) URL: give the REST API root, such as https://api.github.com or https://github.example.com/api/v3`;
  }
  return undefined;
}
