import type { IConstruct } from "constructs";

/**
 * The one shape of every construct error: which kind of construct, where it is in the tree, and the
 * problems (each already saying how to fix it). Never pass a secret value into `problems`.
 */
export function constructError(kind: string, scope: IConstruct, problems: readonly string[]): Error {
  const where = `${kind} at "${scope.node.path}"`;
  if (problems.length === 1) {
    return new Error(`${where}: ${problems[0]}`);
  }
  return new Error(`${where}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
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
