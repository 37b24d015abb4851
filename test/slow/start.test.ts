/**
 * `npm start`, the main job: the root app (cdktf.json -> examples/basic) synthesized, then
 * init/plan/apply with the real terraform against the built-in emulator; run again it plans no
 * change; with one value changed, the plan is exactly one in-place update.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { GithubEmulator } from "../../src/testing";
import { requireTerraform, REPO_ROOT, TMP_ROOT } from "../helpers/terraform";

jest.setTimeout(240_000);

let outdir: string;

function start(env: Record<string, string | undefined> = {}): Promise<{ code: number; output: string }> {
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({
    ...process.env,
    GITHUB_TOKEN: undefined,
    GH_TOKEN: undefined,
    EXAMPLE_REPOSITORY: undefined,
    CDKTF_OUTDIR: outdir,
    ...env,
  })) {
    if (value !== undefined) childEnv[key] = value;
  }
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(REPO_ROOT, "scripts", "start.ts")],
      { cwd: REPO_ROOT, env: childEnv, timeout: 180_000, maxBuffer: 32 << 20 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

/** The stack's own state file (cdktf's default path): emulator runs must leave it alone. */
const PROJECT_STATE = join(REPO_ROOT, "terraform.example.tfstate");
const projectStateBefore = existsSync(PROJECT_STATE) ? statSync(PROJECT_STATE).mtimeMs : undefined;

beforeAll(() => {
  requireTerraform();
  mkdirSync(TMP_ROOT, { recursive: true });
  outdir = mkdtempSync(join(TMP_ROOT, "start-"));
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

test("first run applies the five example secrets and shows they decrypt to the declared values", async () => {
  const { code, output } = await start();
  expect(output).toMatch(/\[1\/5\] Synthesizing the app/);
  expect(output).toMatch(/Plan: 5 to add, 0 to change, 0 to destroy/);
  expect(output).toMatch(/Apply complete! Resources: 5 added/);
  expect(output.match(/decrypts to the declared value/g)).toHaveLength(5);
  expect(output).toMatch(/prod\/eu\s+DB_PASSWORD\s+scrypt1/);
  expect(code).toBe(0);
  // Demo values are deterministic; none may appear anywhere in the output or the stack directory.
  expect(output).not.toContain("demo-value-of-");
  const leaked = allFiles(join(outdir, "stacks", "example"))
    .filter((p) => !p.endsWith(".cjs") && !p.includes(`${join("stacks", "example", ".terraform")}`))
    .filter((p) => readFileSync(p, "latin1").includes("demo-value-of-"));
  expect(leaked).toEqual([]);
});

test("second run shows No changes", async () => {
  const { code, output } = await start();
  expect(output).toMatch(/No changes\. Your infrastructure matches the configuration\./);
  expect(code).toBe(0);
});

test("the emulator's state stays in the output directory, never in the project's state file", () => {
  expect(existsSync(join(outdir, "emulator.tfstate"))).toBe(true);
  expect(existsSync(PROJECT_STATE) ? statSync(PROJECT_STATE).mtimeMs : undefined).toBe(projectStateBefore);
});

test("one changed value plans exactly one in-place update", async () => {
  const { code, output } = await start({ EXAMPLE_API_KEY: "a-rotated-api-key" });
  expect(output).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
  expect(output.match(/will be updated in-place/g)).toHaveLength(1);
  expect(output).toMatch(/ghsecrets_environment_secret\.prod-api-key will be updated in-place/);
  expect(output.match(/decrypts to the declared value/g)).toHaveLength(5);
  expect(code).toBe(0);
});

describe("with GITHUB_TOKEN and EXAMPLE_REPOSITORY (real GitHub, played here by an emulator)", () => {
  const VALUES = {
    EXAMPLE_DB_PASSWORD: "real-mode-db-password",
    EXAMPLE_API_KEY: "real-mode-api-key",
    EXAMPLE_SIGNING_KEY: "real-mode-signing-key",
    EXAMPLE_STAGING_DB_PASSWORD: "real-mode-staging-db-password",
    EXAMPLE_STAGING_API_KEY: "real-mode-staging-api-key",
  };
  let github: GithubEmulator;
  let realOutdir: string;
  const realEnv = () => ({
    CDKTF_OUTDIR: realOutdir,
    GITHUB_TOKEN: github.token,
    GITHUB_API_URL: github.url,
    EXAMPLE_REPOSITORY: "octo/service",
    // Real mode keeps the stack's own state path (the project root, as `cdktf deploy` does); the
    // test moves it into its own folder through Terraform's standard per-command arguments.
    TF_CLI_ARGS_init: `-backend-config=path=${join(realOutdir, "real.tfstate")}`,
  });

  beforeAll(async () => {
    github = await GithubEmulator.start({ repositories: { "octo/service": ["prod/eu", "staging"] } });
    realOutdir = mkdtempSync(join(TMP_ROOT, "start-real-"));
  });
  afterAll(async () => {
    await github.stop();
    rmSync(realOutdir, { recursive: true, force: true });
  });

  test("a missing value variable stops before any call, naming every variable to set", async () => {
    const { code, output } = await start({
      ...realEnv(),
      ...VALUES,
      EXAMPLE_SIGNING_KEY: undefined,
      EXAMPLE_STAGING_API_KEY: undefined,
    });
    expect(code).not.toBe(0);
    expect(output).toMatch(
      /set these variables to the values to store: EXAMPLE_SIGNING_KEY, EXAMPLE_STAGING_API_KEY\n/,
    );
    expect(github.requestCounts()).toEqual({});
  });

  test("applies the stack to the given repository and shows no values", async () => {
    const { code, output } = await start({ ...realEnv(), ...VALUES });
    expect(output).toMatch(/Using real GitHub \(http:\/\/127\.0\.0\.1:\d+\) for octo\/service/);
    expect(output).toMatch(/Apply complete! Resources: 5 added/);
    expect(output.match(/GitHub never returns values/g)).toHaveLength(5);
    for (const value of Object.values(VALUES)) expect(output).not.toContain(value);
    expect(code).toBe(0);
    expect(github.getSecretValue("octo/service", "prod/eu", "SIGNING_KEY")).toBe(VALUES.EXAMPLE_SIGNING_KEY);
    expect(github.getSecretValue("octo/service", "staging", "API_KEY")).toBe(VALUES.EXAMPLE_STAGING_API_KEY);
    expect(existsSync(join(realOutdir, "real.tfstate"))).toBe(true);
    expect(existsSync(join(realOutdir, "emulator-snapshot.json"))).toBe(false);
  });
});
