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
export { formatImportId, parseImportId, type SecretAddress } from "../rules";
