import { normalizeSecretName } from "./secret-name";

/** Where one environment secret lives. */
export interface SecretAddress {
  /** `owner/name` */
  readonly repository: string;
  readonly environment: string;
  /** As written; GitHub compares names case-insensitively and stores them upper case. */
  readonly secretName: string;
}

/**
 * Import ids are `owner/repo:environment:SECRET_NAME`.
 *
 * Escaping rule: none is needed. A repository and a secret name can never hold ':', so the
 * environment is everything between the FIRST and the LAST colon, colons included
 * (`acme/api:deploy:eu:TOKEN` is environment `deploy:eu`). '/', spaces and non-ASCII are written as is.
 */
export function formatImportId(address: SecretAddress): string {
  return `${address.repository}:${address.environment}:${normalizeSecretName(address.secretName)}`;
}

/** Inverse of `formatImportId` (up to the name's case); throws with the expected form when the id cannot be split. */
export function parseImportId(id: string): SecretAddress {
  const first = id.indexOf(":");
  const last = id.lastIndexOf(":");
  if (first <= 0 || last === first || last === id.length - 1 || last - first === 1) {
    throw new Error(
      `import id "${id}" is not of the form owner/repo:environment:SECRET_NAME ` +
        `(for example acme/api:production:DB_PASSWORD)`,
    );
  }
  return {
    repository: id.slice(0, first),
    environment: id.slice(first + 1, last),
    // Kept as written: state must match the configuration's spelling, or Terraform plans a replace.
    secretName: id.slice(last + 1),
  };
}
