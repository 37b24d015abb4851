// GitHub's rules, pure: used by the constructs (synth-time errors) and the provider (plan-time diagnostics).
export { checkSecretName, checkVariableName, normalizeSecretName } from "./secret-name";
export { checkEnvironmentName, isDotSegment } from "./environment-name";
export { checkRepository, parseRepository, type RepositoryRef } from "./repository";
export { checkValueSize, checkVariableValue, checkSecretCount } from "./limits";
export {
  MAX_ENVIRONMENT_NAME_LENGTH,
  MAX_SECRET_VALUE_BYTES,
  MAX_SECRETS_PER_ENVIRONMENT,
} from "./github-limits";
export { formatImportId, parseImportId, type SecretAddress } from "./import-id";
export { valueSourceLabel, type ValueSourceDescription } from "./value-source-label";
export { formatEnvironmentId, parseEnvironmentId, type EnvironmentAddress } from "./environment-id";
export { secretIdentityKey, sameIgnoringCase, type SecretIdentityParts } from "./secret-identity";
export { isEnvVarName } from "./env-var-name";
export { isStandardBase64 } from "./base64";
export { apiRootKey, GITHUB_DOT_COM_API } from "./api-root";
export { checkKeyId, checkNotEmpty, checkSealedValue, SEALED_BOX_OVERHEAD } from "./sealed-value";
