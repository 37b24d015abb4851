/** GitHub caps environment names at 255 characters. */
export const MAX_ENVIRONMENT_NAME_LENGTH = 255;

/**
 * Problems with an environment name; empty when valid. `/`, spaces and non-ASCII are allowed:
 * the GitHub client percent-encodes path parameters, so callers pass names raw.
 */
export function checkEnvironmentName(environment: string): string[] {
  if (environment.trim().length === 0) {
    return ["environment name is empty: give the name of a GitHub environment, such as production"];
  }
  // GitHub counts characters, not bytes or UTF-16 units.
  const length = [...environment].length;
  if (length > MAX_ENVIRONMENT_NAME_LENGTH) {
    return [
      `environment name is ${length} characters long: GitHub allows at most ${MAX_ENVIRONMENT_NAME_LENGTH}; shorten it`,
    ];
  }
  return [];
}
