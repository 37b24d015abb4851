/**
 * GitHub's rules for Actions secret names. GitHub stores names upper case and compares them
 * case-insensitively, so every comparison in this project goes through `normalizeSecretName`.
 */

/** The form GitHub stores: upper case. */
export function normalizeSecretName(name: string): string {
  return name.toUpperCase();
}

/** Problems with a secret name, each saying how to fix it; empty when the name is valid. */
export function checkSecretName(name: string): string[] {
  return checkActionsName(name, "secret", "DB_PASSWORD");
}

/** Problems with an Actions variable name: GitHub applies the rules of secret names. */
export function checkVariableName(name: string): string[] {
  return checkActionsName(name, "variable", "DEPLOY_REGION");
}

function checkActionsName(name: string, kind: "secret" | "variable", example: string): string[] {
  if (name.length === 0) {
    return [`${kind} name is empty: give a name made of letters, digits and '_', such as ${example}`];
  }
  const problems: string[] = [];
  if (/^[0-9]/.test(name)) {
    problems.push(`${kind} name "${name}" starts with a digit: start it with a letter or '_'`);
  }
  if (/[^A-Za-z0-9_]/.test(name)) {
    problems.push(
      `${kind} name "${name}" may hold only letters, digits and '_': ` +
        `write it like "${name.replace(/[^A-Za-z0-9_]/g, "_")}"`,
    );
  }
  if (normalizeSecretName(name).startsWith("GITHUB_")) {
    problems.push(`${kind} name "${name}" starts with GITHUB_, which GitHub reserves: choose another prefix`);
  }
  return problems;
}
