import { formatImportId } from "../rules";

/**
 * Renders the code that adopts existing secrets: TypeScript for the constructs, or HCL `import {}`
 * blocks with their resources. Pure: names in, text out (GitHub never returns values, so none can leak).
 */

/** The secrets found in one environment (names as GitHub lists them, upper case). */
export interface FoundEnvironment {
  readonly repository: string;
  readonly environment: string;
  readonly secretNames: readonly string[];
}

const PACKAGE = "cdktf-github-secrets";

/** A construct id or HCL label from free text: environment names may hold '/', spaces, non-ASCII. */
function slug(text: string, separator: "-" | "_"): string {
  const cleaned = text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((part) => part !== "")
    .join(separator);
  // HCL labels may not start with a digit; neither looks good as a construct id.
  return cleaned === "" ? "environment" : /^[0-9]/.test(cleaned) ? `env${separator}${cleaned}` : cleaned;
}

/** Gives every label once: `prod/eu` and `prod-eu` would otherwise meet as `prod-eu`. */
function uniqueLabels(): (label: string) => string {
  const used = new Set<string>();
  return (label) => {
    let unique = label;
    for (let i = 2; used.has(unique); i++) unique = `${label}${label.includes("_") ? "_" : "-"}${i}`;
    used.add(unique);
    return unique;
  };
}

/** A TypeScript string literal (JSON's escaping is valid TypeScript). */
function ts(text: string): string {
  return JSON.stringify(text);
}

/** An HCL quoted string: JSON escaping, plus `${` and `%{`, which HCL would read as templates. */
function hcl(text: string): string {
  return JSON.stringify(text)
    .replace(/\$\{/g, () => "$${")
    .replace(/%\{/g, () => "%%{");
}

/**
 * TypeScript for a stack held in a variable named `stack`: one `EnvironmentSecrets` per environment
 * (an `EnvironmentSecret` when it holds a single secret), each value read from the environment variable
 * named like the secret, and `importExisting()` so the first plan imports instead of creating.
 */
export function typescriptFor(found: readonly FoundEnvironment[]): string {
  const total = found.reduce((n, e) => n + e.secretNames.length, 0);
  const withSecrets = found.filter((e) => e.secretNames.length > 0);
  const usesMany = withSecrets.some((e) => e.secretNames.length > 1);
  const usesOne = withSecrets.some((e) => e.secretNames.length === 1);
  const imports = [usesOne && "EnvironmentSecret", usesMany && "EnvironmentSecrets", "SecretValue"].filter(
    Boolean,
  );
  const lines = [
    `// ${total} existing secret(s) in ${found.length} environment(s), adopted with importExisting(): the first`,
    `// plan imports them and writes the declared values (GitHub never returns values, so each also shows`,
    `// an update). Each value is read from the environment variable named in SecretValue.fromEnv when`,
    `// terraform plans and applies: rename them as you like (two environments sharing a name need two).`,
    `import { ${imports.join(", ")} } from ${ts(PACKAGE)};`,
    "",
  ];
  const unique = uniqueLabels();
  for (const env of found) {
    const id = unique(slug(env.environment, "-"));
    if (env.secretNames.length === 0) {
      lines.push(`// ${env.repository}, environment ${ts(env.environment)}: no secrets.`, "");
      continue;
    }
    if (env.secretNames.length === 1) {
      const name = env.secretNames[0]!;
      lines.push(
        `new EnvironmentSecret(stack, ${ts(`${id}-${slug(name, "-")}`)}, {`,
        `  repository: ${ts(env.repository)},`,
        `  environment: ${ts(env.environment)},`,
        `  secretName: ${ts(name)},`,
        `  value: SecretValue.fromEnv(${ts(name)}),`,
        `}).importExisting();`,
        "",
      );
      continue;
    }
    lines.push(
      `new EnvironmentSecrets(stack, ${ts(id)}, {`,
      `  repository: ${ts(env.repository)},`,
      `  environment: ${ts(env.environment)},`,
      `  secrets: {`,
      ...env.secretNames.map((name) => `    ${name}: SecretValue.fromEnv(${ts(name)}),`),
      `  },`,
      `}).importExisting();`,
      "",
    );
  }
  return lines.join("\n");
}

/**
 * HCL: per secret, an `import {}` block (Terraform >= 1.5) and the `ghsecrets_environment_secret`
 * resource it imports into, its value read from the environment variable named like the secret.
 */
export function hclFor(found: readonly FoundEnvironment[]): string {
  const lines = [
    "# Existing secrets, adopted: `terraform plan` imports each and writes the declared value (GitHub",
    "# never returns values). value_env names the environment variable the provider reads the value from.",
    "",
  ];
  const unique = uniqueLabels();
  for (const env of found) {
    if (env.secretNames.length === 0) {
      lines.push(`# ${env.repository}, environment ${hcl(env.environment)}: no secrets.`, "");
    }
    for (const name of env.secretNames) {
      const label = unique(`${slug(env.environment, "_")}_${name.toLowerCase()}`);
      const address = `ghsecrets_environment_secret.${label}`;
      lines.push(
        "import {",
        `  to = ${address}`,
        `  id = ${hcl(formatImportId({ repository: env.repository, environment: env.environment, secretName: name }))}`,
        "}",
        "",
        `resource "ghsecrets_environment_secret" "${label}" {`,
        `  repository  = ${hcl(env.repository)}`,
        `  environment = ${hcl(env.environment)}`,
        `  secret_name = ${hcl(name)}`,
        `  value_env   = ${hcl(name)}`,
        "}",
        "",
      );
    }
  }
  return lines.join("\n");
}
