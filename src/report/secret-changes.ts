import { valueSourceLabel } from "../rules";
import { type Action, configAddress, type PlanJson, type ResourceChange, valueReferences } from "./plan-json";

/** The resource type this package's provider manages; every other type is summarised, not detailed. */
export const SECRET_RESOURCE_TYPE = "ghsecrets_environment_secret";

/**
 * `exclusive: true`'s resource. Its update deletes the secrets of `before.secret_names` missing from
 * `after.secret_names` (names the configuration does not declare): each is reported as a secret row.
 */
export const SECRET_SET_RESOURCE_TYPE = "ghsecrets_environment_secret_set";

/** What the plan does to one secret, in the reviewer's terms rather than Terraform's. */
export type SecretAction =
  | "create"
  | "value-change"
  | "source-change"
  | "restore"
  | "recreate"
  | "replace"
  | "delete"
  | "delete-undeclared"
  | "import";

/** One secret the plan changes. Holds names only: never a value, a fingerprint or a sealed box. */
export interface SecretChange {
  /** The stack (plan) it comes from, when the report covers several. */
  readonly stack: string;
  /** Terraform address of the resource, e.g. `ghsecrets_environment_secret.db`. */
  readonly address: string;
  readonly repository: string;
  readonly environment: string;
  readonly secretName: string;
  readonly action: SecretAction;
  /** Where the value comes from (`env DB_PASSWORD`, `variable api_key`, `sealed`, ...); absent for a delete. */
  readonly valueSource?: string;
  /** For a replace: the attributes that force it, with their old values (names, never values). */
  readonly replacedBecause?: ReadonlyArray<{ readonly attribute: string; readonly was: string }>;
}

/** A resource of another type, kept so that the report can say it is there. */
export interface OtherChange {
  readonly stack: string;
  readonly type: string;
  readonly action: "create" | "update" | "replace" | "delete" | "import" | "forget";
}

export interface PlanChanges {
  readonly secrets: SecretChange[];
  readonly others: OtherChange[];
  /** Stacks whose plan did not complete (`errored`): the report then says it is partial. */
  readonly erroredStacks: string[];
}

const ADDRESS_ATTRIBUTES: ReadonlySet<string> = new Set(["repository", "environment", "secret_name"]);

const isReplace = (actions: readonly Action[]) => actions.includes("create") && actions.includes("delete");
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/**
 * The label of the value source, from the attributes that name it. The write-only `value` is null in
 * every plan, so its source is read from the configuration's references (never from its text, which
 * for a literal would be the plaintext).
 */
function valueSourceOf(attributes: Record<string, unknown>, references: readonly string[]): string {
  const variable = text(attributes.value_env);
  const key = text(attributes.value_json_key);
  if (variable !== undefined) {
    return valueSourceLabel(
      key !== undefined ? { kind: "jsonEnv", variable, key } : { kind: "env", variable },
    );
  }
  if (attributes.encrypted_value !== null && attributes.encrypted_value !== undefined) {
    return valueSourceLabel({ kind: "sealed" });
  }
  const reference = references[0];
  if (reference === undefined) return valueSourceLabel({ kind: "literal" });
  return valueSourceLabel(
    reference.startsWith("var.")
      ? { kind: "variable", name: reference.slice(4) }
      : { kind: "reference", expression: reference },
  );
}

/** Whether the planned update keeps the value and changes only where it is read from. */
function sourceOnlyChange(change: ResourceChange["change"]): boolean {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const fingerprintKept =
    change.after_unknown?.value_fingerprint !== true &&
    text(after.value_fingerprint) !== undefined &&
    after.value_fingerprint === before.value_fingerprint;
  return fingerprintKept;
}

function secretActionOf(
  rc: ResourceChange,
  drift: ReadonlyMap<string, readonly Action[]>,
): SecretAction | undefined {
  const { actions, importing } = rc.change;
  const drifted = drift.get(rc.address) ?? [];
  if (importing) return "import";
  if (isReplace(actions)) return "replace";
  if (actions.includes("delete")) return "delete";
  if (actions.includes("create")) return drifted.includes("delete") ? "recreate" : "create";
  if (actions.includes("update")) {
    if (drifted.includes("update")) return "restore";
    return sourceOnlyChange(rc.change) ? "source-change" : "value-change";
  }
  return undefined;
}

function otherActionOf(rc: ResourceChange): OtherChange["action"] | undefined {
  const { actions, importing } = rc.change;
  if (importing) return "import";
  if (isReplace(actions)) return "replace";
  for (const action of ["create", "update", "delete", "forget"] as const) {
    if (actions.includes(action)) return action;
  }
  return undefined;
}

/** The secrets an exclusive set's change deletes: listed before, not kept after (names only). */
function undeclaredDeletions(stack: string, rc: ResourceChange): SecretChange[] {
  const before = rc.change.before ?? {};
  const after = rc.change.after ?? {};
  const listed = Array.isArray(before.secret_names) ? (before.secret_names as unknown[]) : [];
  // An unknown `after` (a set being created) deletes nothing: creation only reads the listing.
  if (!Array.isArray(after.secret_names)) return [];
  const kept = new Set(after.secret_names as unknown[]);
  return listed
    .filter((name): name is string => typeof name === "string" && !kept.has(name))
    .map((secretName) => ({
      stack,
      address: rc.address,
      repository: text(before.repository) ?? "(unknown)",
      environment: text(before.environment) ?? "(unknown)",
      secretName,
      action: "delete-undeclared" as const,
    }));
}

/** Sorts rows by repository, environment and secret name, so that the report reads as grouped. */
function compareRows(a: SecretChange, b: SecretChange): number {
  return (
    a.repository.localeCompare(b.repository) ||
    a.environment.localeCompare(b.environment) ||
    a.secretName.localeCompare(b.secretName) ||
    a.stack.localeCompare(b.stack)
  );
}

/** The changes of several plans (one per stack), secrets in detail and everything else by type. */
export function planChanges(
  plans: ReadonlyArray<{ readonly stack: string; readonly plan: PlanJson }>,
): PlanChanges {
  const secrets: SecretChange[] = [];
  const others: OtherChange[] = [];
  const erroredStacks: string[] = [];
  for (const { stack, plan } of plans) {
    if (plan.errored) erroredStacks.push(stack);
    const drift = new Map((plan.resource_drift ?? []).map((d) => [d.address, d.change.actions] as const));
    const references = valueReferences(plan);
    for (const rc of plan.resource_changes ?? []) {
      if (rc.mode !== "managed") continue;
      if (rc.type === SECRET_SET_RESOURCE_TYPE) {
        secrets.push(...undeclaredDeletions(stack, rc));
        continue;
      }
      if (rc.type !== SECRET_RESOURCE_TYPE) {
        const action = otherActionOf(rc);
        if (action) others.push({ stack, type: rc.type, action });
        continue;
      }
      const action = secretActionOf(rc, drift);
      if (!action) continue;
      const before = rc.change.before ?? {};
      const after = rc.change.after ?? {};
      // A delete is grouped where the secret is now; everything else where it will be.
      const where = action === "delete" ? before : after;
      const row: SecretChange = {
        stack,
        address: rc.address,
        repository: text(where.repository) ?? "(unknown until apply)",
        environment: text(where.environment) ?? "(unknown until apply)",
        secretName: text(where.secret_name) ?? "(unknown until apply)",
        action,
        ...(action === "delete"
          ? {}
          : { valueSource: valueSourceOf(after, references.get(configAddress(rc.address)) ?? []) }),
        ...(action === "replace"
          ? {
              replacedBecause: (rc.change.replace_paths ?? []).map((path) => ({
                attribute: String(path[0]),
                // Only the address attributes force a replace; anything else is not echoed.
                was: ADDRESS_ATTRIBUTES.has(String(path[0])) ? (text(before[String(path[0])]) ?? "") : "",
              })),
            }
          : {}),
      };
      secrets.push(row);
    }
  }
  secrets.sort(compareRows);
  return { secrets, others, erroredStacks };
}

/** Whether anything is deleted on GitHub: a delete, or a replace (which removes the old secret). */
export function deletesSomething(changes: PlanChanges): boolean {
  return changes.secrets.some(
    (s) => s.action === "delete" || s.action === "delete-undeclared" || s.action === "replace",
  );
}
