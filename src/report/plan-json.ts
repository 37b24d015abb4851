/**
 * The part of `terraform show -json <planfile>` the report reads (format_version 1.x, documented in
 * Terraform's "JSON Output Format"). Only names, actions and attribute names are read from it:
 * values, fingerprints and the `variables` section are never copied into a report.
 */

export type Action = "no-op" | "create" | "read" | "update" | "delete" | "forget";

export interface ResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly change: {
    readonly actions: readonly Action[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
    readonly after_unknown?: Record<string, unknown>;
    readonly replace_paths?: ReadonlyArray<ReadonlyArray<string | number>>;
    readonly importing?: { readonly id?: string };
  };
  readonly action_reason?: string;
}

interface ConfigResource {
  readonly address: string;
  readonly expressions?: Record<string, { readonly references?: readonly string[] } | undefined>;
}

interface ConfigModule {
  readonly resources?: readonly ConfigResource[];
  readonly module_calls?: Record<string, { readonly module?: ConfigModule }>;
}

export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly resource_drift?: readonly ResourceChange[];
  readonly configuration?: { readonly root_module?: ConfigModule };
  readonly errored?: boolean;
}

/** Thrown for input that is not a plan in Terraform's JSON format; says what to run instead. */
export class PlanInputError extends Error {
  constructor(source: string, problem: string) {
    super(
      `${source}: ${problem}. plan-report reads the output of \`terraform show -json <planfile>\` ` +
        "(make the plan file with `terraform plan -out=<planfile>`).",
    );
    this.name = "PlanInputError";
  }
}

/** Parses and checks one plan; `source` names the file (or stdin) in errors. */
export function parsePlanJson(text: string, source: string): PlanJson {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new PlanInputError(source, "not JSON");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new PlanInputError(source, "not a JSON object");
  }
  const plan = data as Partial<PlanJson> & { values?: unknown };
  if (typeof plan.format_version !== "string" || !plan.format_version.startsWith("1.")) {
    throw new PlanInputError(source, `unsupported format_version ${JSON.stringify(plan.format_version)}`);
  }
  if (plan.resource_changes === undefined && plan.values !== undefined) {
    throw new PlanInputError(source, "this is a state, not a plan");
  }
  return plan as PlanJson;
}

/**
 * The references of the `value` expression in the configuration, by resource address (module path
 * and instance keys removed). Only references: a literal `value` would be the plaintext itself.
 */
export function valueReferences(plan: PlanJson): Map<string, readonly string[]> {
  const found = new Map<string, readonly string[]>();
  const walk = (module: ConfigModule | undefined, prefix: string): void => {
    for (const resource of module?.resources ?? []) {
      found.set(prefix + resource.address, resource.expressions?.value?.references ?? []);
    }
    for (const [name, call] of Object.entries(module?.module_calls ?? {})) {
      walk(call.module, `${prefix}module.${name}.`);
    }
  };
  walk(plan.configuration?.root_module, "");
  return found;
}

/** `module.a["x"].res.name[0]` → `module.a.res.name`: the address of the resource's configuration block. */
export function configAddress(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|\d+)\]/g, "");
}
