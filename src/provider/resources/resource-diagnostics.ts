import { GithubSecretsError } from "../../github";
import { type Diagnostic, DiagnosticError, type ObjectValue } from "../framework";

/** One attribute and the rule (from `rules`) its string value must pass. */
export type AttributeCheck = readonly [attribute: string, check: (value: string) => string[]];

/** Rule violations as error diagnostics pointing at the attribute; unknown values are checked later. */
export function checkAttributes(config: ObjectValue, checks: readonly AttributeCheck[]): Diagnostic[] {
  return checks.flatMap(([attribute, check]) => {
    const value = config[attribute];
    if (typeof value !== "string") return [];
    return check(value).map((summary): Diagnostic => ({ severity: "error", summary, attribute }));
  });
}

/**
 * Errors from below become one diagnostic: "Cannot <action> the <what>", with `where` (repository,
 * environment, name) and the error's message, which never holds a value or a token.
 */
export function explainFailure(error: unknown, where: string, what: string, action: string): never {
  if (error instanceof DiagnosticError) throw error;
  const message = error instanceof Error ? error.message : String(error);
  const summary =
    error instanceof GithubSecretsError
      ? `Cannot ${action} the ${what}`
      : `Cannot ${action} the ${what}: unexpected error`;
  throw new DiagnosticError({ severity: "error", summary, detail: `${where}: ${message}` });
}
