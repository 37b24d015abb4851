/**
 * The rules GitHub enforces on environment secrets, as the emulator's server side sees them.
 *
 * The checks are written here again on purpose, apart from the project's own `src/rules`: the
 * emulator models GitHub, so a mistake in the client's validation must not be mirrored here and go
 * unnoticed. Only GitHub's published numbers are shared (one definition, src/rules/github-limits.ts);
 * the emulator's tests pin them as literals.
 */
import { MAX_ENVIRONMENT_NAME_LENGTH } from "../rules/github-limits";

export {
  MAX_ENVIRONMENT_NAME_LENGTH,
  MAX_SECRET_VALUE_BYTES,
  MAX_SECRETS_PER_ENVIRONMENT,
} from "../rules/github-limits";

/** Why GitHub would refuse this secret name, or undefined if it is acceptable. */
export function secretNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9_]+$/.test(name)) {
    return "Secret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_). Spaces are not allowed.";
  }
  if (/^[0-9]/.test(name)) {
    return "Secret names must not start with a number.";
  }
  if (name.toUpperCase().startsWith("GITHUB_")) {
    return "Secret names must not start with the GITHUB_ prefix.";
  }
  return undefined;
}

/** Secret names are case-insensitive on GitHub and stored upper case. */
export function canonicalSecretName(name: string): string {
  return name.toUpperCase();
}

/** Why GitHub would refuse this environment name, or undefined if it is acceptable. */
export function environmentNameProblem(name: string): string | undefined {
  if (name.trim().length === 0) return "Environment name must not be empty.";
  // Characters, as GitHub counts them, not UTF-16 units (an emoji is one character, two units).
  if ([...name].length > MAX_ENVIRONMENT_NAME_LENGTH) {
    return `Environment name must be at most ${MAX_ENVIRONMENT_NAME_LENGTH} characters.`;
  }
  return undefined;
}

/** Environment names are case-insensitive on GitHub; this is the lookup key. */
export function environmentKey(name: string): string {
  return name.toLowerCase();
}

/** Repository full names ("owner/name") are case-insensitive on GitHub; this is the lookup key. */
export function repositoryKey(fullName: string): string {
  return fullName.toLowerCase();
}

/** Refusal of a GitHub rule; the HTTP layer turns it into a 422. */
export class RuleViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RuleViolation";
  }
}
