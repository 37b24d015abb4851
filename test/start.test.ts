/**
 * `npm start`, the main job: the root app (cdktf.json -> examples/basic) synthesized, then
 * init/plan/apply with the real terraform against the built-in emulator; run again it plans no
 * change; with one value changed, the plan is exactly one in-place update.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { requireTerraform, REPO_ROOT, TMP_ROOT } from "./helpers/terraform";

jest.setTimeout(240_000);

let outdir: string;

function start(env: Record<string, string | undefined> = {}): Promise<{ code: number; output: string }> {
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, GITHUB_TOKEN: undefined, GH_TOKEN: undefined, EXAMPLE_REPOSITORY: undefined, CDKTF_OUTDIR: outdir, ...env })) {
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

test("one changed value plans exactly one in-place update", async () => {
  const { code, output } = await start({ EXAMPLE_API_KEY: "a-rotated-api-key" });
  expect(output).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
  expect(output.match(/will be updated in-place/g)).toHaveLength(1);
  expect(output).toMatch(/ghsecrets_environment_secret\.prod-api-key will be updated in-place/);
  expect(output.match(/decrypts to the declared value/g)).toHaveLength(5);
  expect(code).toBe(0);
});
