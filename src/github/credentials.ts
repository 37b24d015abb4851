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
