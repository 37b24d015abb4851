import { createHash } from "node:crypto";
import type { Fingerprinter } from "../../lifecycle";
import { type Diagnostic, DiagnosticError, type ObjectValue } from "../framework";
import { resolveValueSource } from "./value-source";

/**
 * A `value_env` value can change between `terraform plan -out` and `terraform apply` of that plan
 * (another CI job, a rotated secret). The apply re-plans, gets another fingerprint, and Terraform
 * alone could only report "Provider produced inconsistent final plan ... a bug in the provider".
 *
 * The only thing a saved plan carries from plan time to the provider at apply is the refreshed prior
 * object, private data included. So the refresh records the fingerprint of the variable's value as it
 * was then (a fingerprint: safe where state and plans go), and the apply's re-plan compares the value
 * it sees now with it and says what happened. The record is dropped from what the plan hands on, so
 * it never outlives the plan it was made for (a later `plan -refresh=false` has none to compare).
 */
interface PlanTimeRecord {
  readonly value_env: string;
  readonly fingerprint: string;
}

const memo = new WeakMap<Fingerprinter, Map<string, Promise<string | undefined>>>();

/**
 * `fingerprints.refingerprint`, computed once per value and previous fingerprint in this process: the
 * refresh and the plan of one resource ask the same question (a scrypt costs ~20 ms). The key is a
 * digest, so the memo holds no value.
 */
export function refingerprintOnce(
  fingerprints: Fingerprinter,
  value: string,
  previous: string | undefined,
): Promise<string | undefined> {
  let cache = memo.get(fingerprints);
  if (!cache) memo.set(fingerprints, (cache = new Map<string, Promise<string | undefined>>()));
  const key = createHash("sha256")
    .update(value)
    .update("\u0000")
    .update(previous ?? "")
    .digest("base64");
  let result = cache.get(key);
  if (!result) {
    result = fingerprints.refingerprint(value, previous);
    cache.set(key, result);
  }
  return result;
}

/** The record a refresh stores for a `value_env` resource, or undefined when there is nothing to record. */
export async function recordPlanTimeValue(
  state: ObjectValue,
  env: NodeJS.ProcessEnv,
  fingerprints: Fingerprinter,
): Promise<Uint8Array | undefined> {
  const name = state.value_env;
  const previous = state.value_fingerprint;
  if (typeof name !== "string" || typeof previous !== "string") return undefined;
  // The value exactly as the plan will resolve it (a JSON member of the variable, for instance).
  const source = resolveValueSource(state, env);
  if ("severity" in source || source.kind !== "plaintext") return undefined;
  const fingerprint = await refingerprintOnce(fingerprints, source.value, previous);
  if (!fingerprint) return undefined;
  const record: PlanTimeRecord = { value_env: name, fingerprint };
  return Buffer.from(JSON.stringify(record), "utf8");
}

function readRecord(bytes: Uint8Array | undefined): PlanTimeRecord | undefined {
  if (!bytes || bytes.length === 0) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(bytes).toString("utf8")) as Partial<PlanTimeRecord>;
    return typeof parsed.value_env === "string" && typeof parsed.fingerprint === "string"
      ? { value_env: parsed.value_env, fingerprint: parsed.fingerprint }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Throws a clear error when the `value_env` value now differs from the one the refresh saw; returns
 * the private data to hand on (none: the record is spent).
 */
export function checkUnchangedSincePlan(
  priorPrivate: Uint8Array | undefined,
  config: ObjectValue,
  plannedFingerprint: unknown,
): Uint8Array | undefined {
  const record = readRecord(priorPrivate);
  if (!record) return undefined;
  if (
    config.value_env === record.value_env &&
    typeof plannedFingerprint === "string" &&
    plannedFingerprint !== record.fingerprint
  ) {
    const problem: Diagnostic = {
      severity: "error",
      summary: `The value of environment variable ${record.value_env} changed since the plan was made`,
      detail:
        `The plan being applied was made with another value of ${record.value_env} (value_env). Nothing was ` +
        `written for this secret. Make a new plan with the value you mean to apply (terraform plan), review ` +
        `it, and apply that one, or set ${record.value_env} back to the value the plan was made with.`,
      attribute: "value_env",
    };
    throw new DiagnosticError(problem);
  }
  return new Uint8Array(0);
}
