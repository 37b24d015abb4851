/**
 * Where a secret's value comes from, in the words a reviewer reads in a plan report: names only.
 * One wording for both sides: `EnvironmentSecret.valueSource` (synth) and `plan-report` (from a plan).
 */
export type ValueSourceDescription =
  | { readonly kind: "env"; readonly variable: string }
  | { readonly kind: "jsonEnv"; readonly variable: string; readonly key: string }
  | { readonly kind: "variable"; readonly name: string }
  | { readonly kind: "reference"; readonly expression?: string }
  | { readonly kind: "sealed" }
  | { readonly kind: "literal" };

export function valueSourceLabel(source: ValueSourceDescription): string {
  switch (source.kind) {
    case "env":
      return `env ${source.variable}`;
    case "jsonEnv":
      return `env ${source.variable}, key ${source.key}`;
    case "variable":
      return `variable ${source.name}`;
    case "reference":
      return source.expression ? `reference ${source.expression}` : "reference";
    case "sealed":
      return "sealed";
    case "literal":
      return "literal in the configuration";
  }
}
