export { GithubSecretsProvider, type GithubSecretsProviderProps } from "./provider";
export { EnvironmentSecret, type EnvironmentSecretProps } from "./environment-secret";
export { EnvironmentSecrets, type EnvironmentSecretsProps } from "./environment-secrets";
export { SecretNames, type SecretNamesOptions, type DotenvSecretNamesOptions } from "./secret-names";
export { SecretValue, type SecretValueConfig, type SecretValueSource } from "./secret-value";
export {
  EnvironmentSecretResource,
  type EnvironmentSecretResourceConfig,
} from "./environment-secret-resource";
export {
  EnvironmentSecretSetResource,
  type EnvironmentSecretSetResourceConfig,
} from "./environment-secret-set-resource";
export {
  EnvironmentVariable,
  type EnvironmentVariableProps,
  EnvironmentVariableResource,
  type EnvironmentVariableResourceConfig,
} from "./environment-variable";
export { PROVIDER_SOURCE, PROVIDER_TYPE } from "./package-info";
export { ValidationError } from "./errors";
