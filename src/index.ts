// Package entry: one export line per layer that users touch.
export * from "./constructs";
export {
  formatImportId,
  parseImportId,
  normalizeSecretName,
  MAX_SECRETS_PER_ENVIRONMENT,
  MAX_SECRET_VALUE_BYTES,
  type SecretAddress,
} from "./rules";
