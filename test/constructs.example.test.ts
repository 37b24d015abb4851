// The example app, run the way the cdktf CLI runs it: the "app" command of cdktf.json, with CDKTF_OUTDIR.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

jest.setTimeout(120_000);

const run = promisify(execFile);
const root = join(__dirname, "..");
const tmpRoot = join(root, ".tmp");
mkdirSync(tmpRoot, { recursive: true });
const tmp = mkdtempSync(join(tmpRoot, "constructs-example-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PLAINTEXT = "example-plaintext-never-in-config";

async function synthExample(outdir: string, extraEnv: Record<string, string> = {}): Promise<any> {
  const cdktfJson = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8"));
  await run("sh", ["-c", cdktfJson.app], {
    cwd: root,
    env: { ...process.env, CDKTF_OUTDIR: outdir, EXAMPLE_DB_PASSWORD: PLAINTEXT, ...extraEnv },
    timeout: 60_000,
  });
  return JSON.parse(readFileSync(join(outdir, "stacks", "example", "cdk.tf.json"), "utf8"));
}

test("cdktf.json declares a TypeScript app with no providers to fetch and no crash reports", () => {
  const cdktfJson = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8"));
  expect(cdktfJson).toMatchObject({
    language: "typescript",
    app: "npx tsx examples/basic/main.ts",
    sendCrashReports: "false",
    terraformProviders: [],
  });
});

test("the example synthesizes five secrets over prod/eu and staging, values by name only", async () => {
  const outdir = join(tmp, "default");
  const config = await synthExample(outdir);
  const secrets = Object.values<Record<string, string>>(config.resource.ghsecrets_environment_secret);
  expect(secrets).toHaveLength(5);
  expect(new Set(secrets.map((s) => s.environment))).toEqual(new Set(["prod/eu", "staging"]));
  expect(new Set(secrets.map((s) => s.repository))).toEqual(new Set(["acme/api"]));
  for (const s of secrets) {
    expect(s.value_env).toMatch(/^EXAMPLE_[A-Z_]+$/);
    expect(s).not.toHaveProperty("value");
  }
  expect(readFileSync(join(outdir, "stacks", "example", "cdk.tf.json"), "utf8")).not.toContain(PLAINTEXT);
  expect(config.terraform.required_providers.ghsecrets.source).toBe(
    "cdktf-github-secrets.local/ghsecrets/ghsecrets",
  );
  expect(existsSync(join(outdir, "stacks", "example", "terraform.d", "plugins"))).toBe(true);
});

test("EXAMPLE_REPOSITORY chooses the repository", async () => {
  const config = await synthExample(join(tmp, "other-repo"), { EXAMPLE_REPOSITORY: "octo-org/service" });
  const secrets = Object.values<Record<string, string>>(config.resource.ghsecrets_environment_secret);
  expect(new Set(secrets.map((s) => s.repository))).toEqual(new Set(["octo-org/service"]));
});
