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
