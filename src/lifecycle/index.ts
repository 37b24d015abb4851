export {
  type DeleteOptions,
  type DeleteResult,
  EnvironmentSecretLifecycle,
  InvalidSecretError,
  type ReadResult,
  type WriteResult,
} from "./environment-secret-lifecycle";
export { EnvironmentSecretSetLifecycle } from "./environment-secret-set-lifecycle";
export { EnvironmentVariableLifecycle, InvalidVariableError } from "./environment-variable-lifecycle";
export type { SecretSource } from "./secret-source";
export type { PlannedDeclaration } from "./plan-registry";
export { formatImportId, parseImportId, type SecretAddress } from "../rules";

// The provider depends on this layer alone (the layering rule in .dependency-cruiser.cjs): what
// it needs from the layers below is handed on here, so a change there is seen in one place.
export {
  baseUrlFromEnvironment,
  checkBaseUrl,
  type Credentials,
  credentialsFromEnvironment,
  EnvironmentSecretsClient,
  EnvironmentVariablesClient,
  GithubSecretsError,
  type VariableRef,
} from "../github";
export {
  createFingerprinter,
  type Fingerprinter,
  FingerprintKeyError,
  fingerprintSealed,
  saltOf,
  type SchemeChange,
} from "../crypto";
// Every rule (pure, written once) is the provider's to use for its plan-time diagnostics.
export * from "../rules";
