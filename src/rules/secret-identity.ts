import { normalizeSecretName } from "./secret-name";

/** The three parts that name one GitHub environment secret. */
export interface SecretIdentityParts {
  /** `owner/name` */
  readonly repository: string;
  readonly environment: string;
  readonly secretName: string;
}

/**
 * GitHub compares repository names, environment names and secret names without letter case:
 * `acme/API`, environment `Production`, secret `db` is the same secret as `acme/api`,
 * `production`, `DB`. Two addresses name the same secret exactly when their keys are equal.
 */
export function secretIdentityKey(address: SecretIdentityParts): string {
  return JSON.stringify([
    address.repository.toLowerCase(),
    address.environment.toLowerCase(),
    normalizeSecretName(address.secretName),
  ]);
}

/** Whether two spellings of a repository or environment name are the same on GitHub. */
export function sameIgnoringCase(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
