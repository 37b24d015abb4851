import type { SecretSource } from "../../lifecycle";
import { type Diagnostic, isUnknown, type ObjectValue } from "../framework";

/** The three ways to give a value; exactly one must be set. */
export const VALUE_SOURCE_ATTRIBUTES = ["value", "value_env", "encrypted_value"] as const;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

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
  if (isSet(config.value_json_key) && !isSet(config.value_env)) {
    problems.push({
      severity: "error",
      summary: "value_json_key needs value_env",
      detail: "Set value_env to the environment variable that holds the JSON object the key is looked up in.",
      attribute: "value_json_key",
    });
  }
  if (config.value_json_key === "") {
    problems.push({
      severity: "error",
      summary: "value_json_key is empty",
      detail:
        "Give the name of the member of the JSON object that holds this secret's value, e.g. DB_PASSWORD.",
      attribute: "value_json_key",
    });
  }
  const envName = config.value_env;
  if (typeof envName === "string" && !ENV_NAME.test(envName)) {
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
    isUnknown(config.value_json_key) ||
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
    if (typeof config.value_json_key === "string")
      return jsonMember(config.value_env, config.value_json_key, value);
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

/**
 * `value_json_key`: the variable holds a JSON object (one repository secret holding many values, or
 * GitHub's `toJSON(secrets)`), and the value is one string member of it. Messages name the variable
 * and the key, never the variable's content.
 */
function jsonMember(variable: string, key: string, text: string): ResolvedSource | Diagnostic {
  const problem = (summary: string, detail: string): Diagnostic => ({
    severity: "error",
    summary,
    detail,
    attribute: "value_json_key",
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return problem(
      `Environment variable ${variable} does not hold JSON`,
      `value_json_key reads the member "${key}" of a JSON object in ${variable}: set ${variable} to an object such as {"${key}": "..."}.`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return problem(
      `Environment variable ${variable} does not hold a JSON object`,
      `Set ${variable} to an object of strings such as {"${key}": "..."}.`,
    );
  }
  const member = (parsed as Record<string, unknown>)[key];
  if (member === undefined) {
    return problem(
      `Environment variable ${variable} has no member "${key}"`,
      `Add "${key}" to the JSON object in ${variable} (with GitHub Actions' toJSON(secrets): create the repository secret ${key}).`,
    );
  }
  if (typeof member !== "string") {
    return problem(
      `Member "${key}" of ${variable} is not a string`,
      `Give the value as a JSON string: {"${key}": "..."}.`,
    );
  }
  return { kind: "plaintext", value: member };
}
