import { isEnvVarName, type SecretSource } from "../../lifecycle";
import { type Diagnostic, isUnknown, type ObjectValue } from "../framework";

/** The three ways to give a value; exactly one must be set. */
export const VALUE_SOURCE_ATTRIBUTES = ["value", "value_env", "encrypted_value"] as const;

/** A source as seen at plan time: possibly not known yet (a value from another resource). */
export type ResolvedSource = SecretSource | { readonly kind: "unknown" };

function isSet(value: unknown): boolean {
  return value !== null && value !== undefined;
}

/** Config-shape problems: which sources are set, key_id pairing, variable name syntax. */
export function checkValueSourceShape(config: ObjectValue): Diagnostic[] {
  const set = VALUE_SOURCE_ATTRIBUTES.filter((name) => isSet(config[name]));
  const problems: Diagnostic[] = [];
  if (set.length === 0) {
    problems.push({
      severity: "error",
      summary: "No value source",
      detail:
        "Set exactly one of value (write-only; from an ephemeral or sensitive variable), value_env (the name of an " +
        "environment variable the provider reads at plan and apply) or encrypted_value with key_id.",
    });
  } else if (set.length > 1) {
    problems.push({
      severity: "error",
      summary: `Only one value source may be set, found ${set.join(" and ")}`,
      detail: "Keep exactly one of value, value_env or encrypted_value.",
      attribute: set[1],
    });
  }
  if (isSet(config.encrypted_value) !== isSet(config.key_id)) {
    problems.push({
      severity: "error",
      summary: "encrypted_value and key_id go together",
      detail:
        "Give the id of the environment public key the value was sealed with, alongside the sealed value.",
      attribute: isSet(config.encrypted_value) ? "key_id" : "encrypted_value",
    });
  }
  const envName = config.value_env;
  if (typeof envName === "string" && !isEnvVarName(envName)) {
    problems.push({
      severity: "error",
      summary: `value_env "${envName}" is not an environment variable name`,
      detail: "Use letters, digits and '_', not starting with a digit, e.g. DB_PASSWORD.",
      attribute: "value_env",
    });
  }
  return problems;
}

/**
 * The value to write, from the configuration. `value_env` is read from the provider's own
 * environment, at plan (to fingerprint it) and again at apply (to write it).
 */
export function resolveValueSource(config: ObjectValue, env: NodeJS.ProcessEnv): ResolvedSource | Diagnostic {
  if (
    isUnknown(config.value) ||
    isUnknown(config.value_env) ||
    isUnknown(config.encrypted_value) ||
    isUnknown(config.key_id)
  ) {
    return { kind: "unknown" };
  }
  if (typeof config.value === "string") return { kind: "plaintext", value: config.value };
  if (typeof config.value_env === "string") {
    const value = env[config.value_env];
    if (value === undefined) {
      return {
        severity: "error",
        summary: `Environment variable ${config.value_env} is not set`,
        detail: `The provider reads the secret's value from ${config.value_env} at plan and apply: export it in the environment that runs terraform.`,
        attribute: "value_env",
      };
    }
    return { kind: "plaintext", value };
  }
  if (typeof config.encrypted_value === "string" && typeof config.key_id === "string") {
    return { kind: "sealed", encryptedValue: config.encrypted_value, keyId: config.key_id };
  }
  return {
    severity: "error",
    summary: "No value source",
    detail: "Set exactly one of value, value_env or encrypted_value with key_id.",
  };
}
