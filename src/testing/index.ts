/**
 * `cdktf-github-secrets/testing`: an offline emulator of GitHub's REST API for Actions
 * environment secrets, for testing stacks and clients without touching github.com.
 *
 * ```ts
 * const emu = await GithubEmulator.start({ repositories: { "acme/api": ["production"] } });
 * // point the provider at emu.url with token emu.token, apply, then:
 * expect(emu.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBe("s3cret");
 * await emu.stop();
 * ```
 *
 * The same server runs from the command line as `cdktf-github-secrets-emulator`.
 */
export { GithubEmulator } from "./emulator";
export type { EmulatorOptions, IssueCommentInfo, PublicKeyInfo, SecretInfo } from "./emulator";
export type { TokenConfig, TokenGrant } from "./auth";
export type { AppConfig } from "./app-auth";
export type { EmulatorSnapshot } from "./snapshot";
export type {
  DelayFault,
  DropFault,
  EnvironmentChangeFault,
  Fault,
  FaultMatch,
  PrimaryRateLimitFault,
  RateLimit429Fault,
  SecondaryRateLimitFault,
  StatusFault,
} from "./faults";
/** Route templates, as used in request-count keys ("METHOD template") and fault matches. */
export { ROUTE } from "./routes";
export type { RouteTemplate } from "./routes";
/** GitHub's limits as the emulator enforces them. */
export {
  MAX_ENVIRONMENT_NAME_LENGTH,
  MAX_SECRET_VALUE_BYTES,
  MAX_SECRETS_PER_ENVIRONMENT,
} from "./github-rules";
