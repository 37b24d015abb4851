import { createHash } from "node:crypto";
import type { EnvironmentSecretLifecycle, SecretAddress } from "../../lifecycle";
import { checkKeyId, checkNotEmpty, checkSealedValue, normalizeSecretName } from "../../lifecycle";
import { type Diagnostic, DiagnosticError, type ObjectValue } from "../framework";
import type { ResolvedSource } from "./value-source";

/** `encrypted_value` and `key_id` problems GitHub would otherwise answer with a 422 at apply. */
export function checkSealedConfig(config: ObjectValue): Diagnostic[] {
  const problems: Diagnostic[] = [];
  if (typeof config.encrypted_value === "string") {
    for (const summary of checkSealedValue(config.encrypted_value)) {
      problems.push({
        severity: "error",
        summary: `encrypted_value: ${summary}`,
        attribute: "encrypted_value",
      });
    }
  }
  if (typeof config.key_id === "string") {
    for (const summary of checkKeyId(config.key_id)) {
      problems.push({ severity: "error", summary: `key_id: ${summary}`, attribute: "key_id" });
    }
  }
  return problems;
}

/** An empty plaintext, refused unless `allow_empty = true`; the message names where it came from. */
export function checkEmptyValue(source: ResolvedSource, config: ObjectValue): Diagnostic[] {
  if (source.kind !== "plaintext" || config.allow_empty === true) return [];
  const envName = typeof config.value_env === "string" ? config.value_env : undefined;
  const fromEnv = envName !== undefined;
  const origin = fromEnv ? `environment variable ${envName} (value_env)` : "the value attribute";
  return checkNotEmpty(source.value, origin, "allow_empty = true").map((summary) => ({
    severity: "error",
    summary,
    attribute: fromEnv ? "value_env" : "value",
  }));
}

/**
 * The checks of a whole plan (environment, credentials, duplicates, limit) for one resource; see
 * EnvironmentSecretLifecycle.checkPlanned. Throws a DiagnosticError when one fails.
 */
export async function checkPlannedSecret(
  lifecycle: EnvironmentSecretLifecycle,
  address: SecretAddress,
  config: ObjectValue,
  exists: boolean,
  signal: AbortSignal,
): Promise<void> {
  // Tells two resources with the same address apart; a digest, so no value is kept in the clear.
  const signature = createHash("sha256").update(JSON.stringify(config)).digest("hex");
  const problems = await lifecycle.checkPlanned({ address, signature, exists }, { signal });
  if (problems.length > 0) {
    const where = `${address.repository}, environment "${address.environment}", secret ${normalizeSecretName(address.secretName)}`;
    throw new DiagnosticError(
      problems.map((summary) => ({ severity: "error", summary, detail: `Found at plan time for ${where}.` })),
    );
  }
}
