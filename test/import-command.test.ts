// `cdktf-github-secrets import`: the printed code adopts what exists. End to end: the built CLI against
// the emulator, the TypeScript it prints run as a cdktf app, and the real terraform planning it.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { hclFor, typescriptFor } from "../src/cli/adoption-code";
import { useCdktfE2e } from "./helpers/cdktf-e2e";
import { providerConfig, REPO_ROOT, TerraformDir } from "./helpers/terraform";

jest.setTimeout(180_000);

const run = promisify(execFile);
const NAMES = Array.from({ length: 10 }, (_, i) => `EXISTING_${i}`);
const values = Object.fromEntries(NAMES.map((name, i) => [name, `declared-value-${i}`]));
const e2e = useCdktfE2e("import-command", { "acme/api": ["production", "prod/eu"] }, values);

beforeAll(() => {
  for (const name of NAMES) e2e.emulator.setSecretOutOfBand("acme/api", "production", name, "old-value");
  e2e.emulator.setSecretOutOfBand("acme/api", "prod/eu", "ONLY_ONE", "old-value");
});

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(REPO_ROOT, "dist", "cli.js"), ...args], {
      env: { ...process.env, GITHUB_API_URL: "http://127.0.0.1:9" }, // --base-url must win
      timeout: 60_000,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

/** The import command on acme/api of the emulator. */
function adopt(...args: string[]) {
  return cli("import", "--repository", "acme/api", "--base-url", e2e.emulator.url, ...args);
}

function planCounts(stdout: string): string | undefined {
  return /Plan: .*\./.exec(stdout)?.[0];
}

test("the printed TypeScript, run as an app, plans 10 imports and 10 updates; apply writes the declared values", async () => {
  const printed = await adopt("--environment", "production");
  expect(printed.code).toBe(0);
  expect(printed.stderr).toContain('listing secrets of acme/api, environment "production"');
  expect(printed.stdout).toContain('new EnvironmentSecrets(stack, "production", {');
  expect(printed.stdout).toContain('EXISTING_3: SecretValue.fromEnv("EXISTING_3"),');
  expect(printed.stdout).not.toContain("old-value");

  const outdir = join(e2e.tmp, "adopt-out");
  const main = join(e2e.tmp, "adopt-main.ts");
  // Pasted as a user would: the import line at the top, the statements after the stack.
  const lines = printed.stdout.split("\n");
  const library = JSON.stringify(join(REPO_ROOT, "dist", "index.js"));
  writeFileSync(
    main,
    [
      'import { App, LocalBackend, TerraformStack } from "cdktf";',
      `import { GithubSecretsProvider } from ${library};`,
      ...lines
        .filter((l) => l.startsWith("import "))
        .map((l) => l.replace('"cdktf-github-secrets"', library)),
      `const app = new App({ outdir: ${JSON.stringify(outdir)} });`,
      'const stack = new TerraformStack(app, "adopt");',
      'new LocalBackend(stack, { path: "terraform.tfstate" });',
      'new GithubSecretsProvider(stack, "github", { writeDelayMs: 0 });',
      ...lines.filter((l) => !l.startsWith("import ")),
      "app.synth();",
    ].join("\n"),
  );
  await run(process.execPath, ["--import", "tsx", main], {
    cwd: REPO_ROOT,
    env: process.env,
    timeout: 60_000,
  });
  const dir = join(outdir, "stacks", "adopt");
  await e2e.terraform(dir, "init", "-input=false");
  const plan = await e2e.terraform(dir, "plan", "-input=false");
  expect(planCounts(plan.stdout)).toBe("Plan: 10 to import, 0 to add, 10 to change, 0 to destroy.");
  await e2e.terraform(dir, "apply", "-input=false", "-auto-approve");
  for (const name of NAMES) {
    expect(e2e.emulator.getSecretValue("acme/api", "production", name)).toBe(values[name]);
  }
  expect((await e2e.terraform(dir, "plan", "-input=false", "-detailed-exitcode")).code).toBe(0);
});

test("--hcl prints import blocks that terraform plans as imports and updates only", async () => {
  const printed = await adopt("--environment", "production", "--environment", "prod/eu", "--hcl");
  expect(printed.code).toBe(0);
  expect(printed.stdout).toContain('  id = "acme/api:prod/eu:ONLY_ONE"');
  const tf = new TerraformDir("import-hcl", { GITHUB_API_URL: e2e.emulator.url, ONLY_ONE: "only-value" });
  try {
    tf.writeConfig(providerConfig({}, { resource: undefined }));
    writeFileSync(join(tf.dir, "adopted.tf"), printed.stdout);
    await tf.ok(["init", "-input=false"]);
    const plan = await tf.ok(["plan", "-input=false"]);
    expect(planCounts(plan.stdout)).toBe("Plan: 11 to import, 0 to add, 11 to change, 0 to destroy.");
  } finally {
    tf.remove();
  }
});

test("a missing environment, a bad repository and no credentials are clear errors", async () => {
  const missing = await adopt("--environment", "nope");
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('acme/api has no environment "nope"');
  const bad = await cli("import", "--repository", "acme", "--environment", "production");
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('write it like "acme/api"');
  const saved = process.env.GITHUB_TOKEN;
  delete process.env.GITHUB_TOKEN;
  try {
    const none = await cli("import", "--repository", "acme/api", "--environment", "production");
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("No GitHub credentials");
  } finally {
    process.env.GITHUB_TOKEN = saved;
  }
});

describe("rendering", () => {
  test("one secret gets an EnvironmentSecret; odd environment names make valid ids and labels", () => {
    const found = [
      { repository: "acme/api", environment: "prod/eu", secretNames: ["ONLY"] },
      { repository: "acme/api", environment: "prod-eu", secretNames: ["A", "B"] },
      { repository: "acme/api", environment: '2024 "${x}"', secretNames: ["C"] },
      { repository: "acme/api", environment: "empty", secretNames: [] },
    ];
    const code = typescriptFor(found);
    expect(code).toContain(
      'import { EnvironmentSecret, EnvironmentSecrets, SecretValue } from "cdktf-github-secrets";',
    );
    expect(code).toContain('new EnvironmentSecret(stack, "prod-eu-only", {');
    expect(code).toContain('new EnvironmentSecrets(stack, "prod-eu-2", {');
    expect(code).toContain('environment: "2024 \\"${x}\\"",');
    expect(code).toContain('// acme/api, environment "empty": no secrets.');
    const hcl = hclFor(found);
    expect(hcl).toContain("to = ghsecrets_environment_secret.prod_eu_only");
    expect(hcl).toContain("to = ghsecrets_environment_secret.prod_eu_a");
    expect(hcl).toContain('  id = "acme/api:2024 \\"$${x}\\":C"');
    expect(hcl).toContain("to = ghsecrets_environment_secret.env_2024_x_c");
  });
});
