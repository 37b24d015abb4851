import { MAX_ENVIRONMENT_NAME_LENGTH } from "./github-limits";

// C0 and C1 control characters and DEL: invisible in logs and terminals, never a real environment name.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * A path segment that URL parsers (WHATWG's, and HTTP front ends) resolve as "this directory" or
 * "the parent": `.` and `..`, also when written with `%2e`. Sent as an environment name it would
 * change the request's path (`/environments/../secrets/X` is the *repository's* secret X).
 */
export function isDotSegment(segment: string): boolean {
  return /^(?:\.|%2e){1,2}$/i.test(segment);
}

/** `U+000A` for a code point: names the character without printing it. */
function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Problems with an environment name; empty when valid. `/`, spaces and non-ASCII are allowed:
 * the GitHub client percent-encodes every path segment itself, so callers pass names raw.
 * Messages never print a control character raw (it could rewrite the terminal line it lands on).
 */
export function checkEnvironmentName(environment: string): string[] {
  if (environment.trim().length === 0) {
    return ["environment name is empty: give the name of a GitHub environment, such as production"];
  }
  const control = CONTROL_CHARACTER.exec(environment);
  if (control) {
    const position = [...environment.slice(0, control.index)].length + 1;
    return [
      `environment name holds the control character ${codePoint(control[0])} at character ${position}: ` +
        "remove it (a stray newline or tab from a variable or a file is the usual cause)",
    ];
  }
  if (isDotSegment(environment)) {
    return [
      `environment name "${environment}" is refused: a name made only of "." or ".." would address the ` +
        "repository instead of an environment in GitHub's API; rename the environment",
    ];
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
