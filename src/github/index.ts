export {
  EnvironmentSecretsClient,
  type ClientOptions,
  type CallOptions,
  type EnvironmentRef,
  type SecretRef,
  type SecretMetadata,
  type EnvironmentPublicKey,
  type PutResult,
} from "./environment-secrets-client";
export {
  EnvironmentVariablesClient,
  type VariableRef,
  type VariableMetadata,
} from "./environment-variables-client";
export {
  type Credentials,
  type TokenCredentials,
  type AppCredentials,
  MissingCredentialsError,
  InvalidBaseUrlError,
  checkBaseUrl,
  credentialsFromEnvironment,
  baseUrlFromEnvironment,
} from "./credentials";
export * from "./errors";
export { type Logger, silentLogger } from "./logger";
export { type RetryPolicy, DEFAULT_RETRY_POLICY } from "./octokit";
