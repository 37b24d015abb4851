/** One environment of one repository. */
export interface EnvironmentAddress {
  /** `owner/name` */
  readonly repository: string;
  readonly environment: string;
}

/**
 * Ids of whole-environment objects (the secret set of an environment) are `owner/repo:environment`.
 * A repository never holds ':', so the environment is everything after the FIRST colon, colons included.
 */
export function formatEnvironmentId(address: EnvironmentAddress): string {
  return `${address.repository}:${address.environment}`;
}

/** Inverse of `formatEnvironmentId`; throws with the expected form when the id cannot be split. */
export function parseEnvironmentId(id: string): EnvironmentAddress {
  const colon = id.indexOf(":");
  if (colon <= 0 || colon === id.length - 1) {
    throw new Error(
      `import id "${id}" is not of the form owner/repo:environment (for example acme/api:production)`,
    );
  }
  return { repository: id.slice(0, colon), environment: id.slice(colon + 1) };
}
