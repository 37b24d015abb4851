import type { IConstruct } from "constructs";

const VALIDATION_ERROR = Symbol.for("cdktf-github-secrets.ValidationError");

/**
 * Thrown by every construct of this library (and by `SecretNames`) for input it cannot accept, at the
 * moment the input is given, like aws-cdk-lib's `ValidationError`: catch it with
 * `e instanceof ValidationError` (or `ValidationError.isValidationError(e)`, which also works across two
 * copies of this library). The message names where the input was given (the construct path) and how
 * to fix each problem; it never quotes a secret value.
 */
export class ValidationError extends Error {
  /** Whether `x` is a `ValidationError` of this library, from any copy of it. */
  public static isValidationError(x: unknown): x is ValidationError {
    return x !== null && typeof x === "object" && VALIDATION_ERROR in x;
  }

  /**
   * Where the input was given: the construct path (`stack/db`), or the factory call for input that
   * is not a construct's (`SecretNames.fromList`).
   */
  public readonly where: string;

  /** Each problem on its own, already saying how to fix it. */
  public readonly problems: readonly string[];

  // Not `ErrorOptions`: that type is in lib es2022, and a consumer on cdktf init's es2018 lib lacks it.
  constructor(where: string, problems: readonly string[], options?: { readonly cause?: unknown }) {
    super(
      problems.length === 1
        ? `${where}: ${problems[0]}`
        : `${where}:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
      options,
    );
    this.name = "ValidationError";
    this.where = where;
    this.problems = [...problems];
    Object.defineProperty(this, VALIDATION_ERROR, { value: true });
  }
}

/**
 * The one shape of every construct error: which kind of construct, where it is in the tree, and the
 * problems (each already saying how to fix it). Never pass a secret value into `problems`.
 */
export function constructError(
  kind: string,
  scope: IConstruct,
  problems: readonly string[],
): ValidationError {
  return new ValidationError(`${kind} at "${scope.node.path}"`, problems);
}

/**
 * "a number", "an object", "null": what a JavaScript caller passed where TypeScript would have
 * refused it. Never the value itself, which may be secret.
 */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
