// The `.terraform.lock.hcl` written at synth, against what the real terraform writes for the same
// mirror: equal byte for byte, so plain `init` and the cdktf CLI's diff/deploy work offline.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { EnvironmentSecret, SecretValue } from "../src";
import { DEFAULT_PLATFORMS, PROVIDER_SOURCE, packageVersion, writeLockFile } from "../src/mirror";
import { requireTerraform, TerraformDir, TMP_ROOT, terraformOk } from "./helpers/terraform";

jest.setTimeout(120_000);

// Any attempt to reach a registry goes to a port where nothing listens.
const OFFLINE = { HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9", NO_PROXY: "" };
const LOCK = ".terraform.lock.hcl";

let root: string;

/** Synthesizes a one-secret stack into a fresh directory and returns the stack directory. */
function synthStack(): string {
  const outdir = mkdtempSync(join(root, "out-"));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "secrets");
  new EnvironmentSecret(stack, "db", {
    repository: "acme/api",
    environment: "production",
    secretName: "DB_PASSWORD",
    value: SecretValue.fromEnv("DB_PASSWORD"),
  });
  app.synth();
  return join(outdir, "stacks", "secrets");
}

/** A TerraformDir (empty CLI config, bounded runs) whose contents are a copy of `stackDir`. */
function copyOf(stackDir: string, name: string): TerraformDir {
  const tf = new TerraformDir(name, {});
  rmSync(join(tf.dir, "terraform.d"), { recursive: true, force: true });
  cpSync(stackDir, tf.dir, { recursive: true });
  return tf;
}

beforeAll(() => {
  requireTerraform();
  mkdirSync(TMP_ROOT, { recursive: true });
  root = mkdtempSync(join(TMP_ROOT, "lock-file-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

test("synth writes the lock file `terraform providers lock -fs-mirror` writes, for every shipped platform", async () => {
  const stackDir = synthStack();
  const ours = readFileSync(join(stackDir, LOCK), "utf8");

  const tf = copyOf(stackDir, "lock-reference");
  rmSync(join(tf.dir, LOCK));
  const platforms = DEFAULT_PLATFORMS.map((p) => `-platform=${p}`);
  // noColor false: `providers lock` refuses the -no-color the runner adds by default.
  await terraformOk(["providers", "lock", "-fs-mirror=terraform.d/plugins", ...platforms], {
    cwd: tf.dir,
    cliConfig: tf.cliConfig,
    env: { ...tf.env, ...OFFLINE },
    noColor: false,
    timeoutMs: 60_000,
  });
  const terraforms = readFileSync(join(tf.dir, LOCK), "utf8");
  tf.remove();

  expect(ours).toBe(terraforms);
});

test("plain init in the stack directory works offline, with no incomplete-lock warning, and keeps the file", async () => {
  const tf = copyOf(synthStack(), "lock-init");
  const before = readFileSync(join(tf.dir, LOCK), "utf8");
  const { stdout, stderr } = await tf.ok(["init", "-input=false"], OFFLINE);
  const after = readFileSync(join(tf.dir, LOCK), "utf8");
  tf.remove();
  expect(`${stdout}\n${stderr}`).not.toMatch(/Incomplete lock file information/);
  expect(stdout).toMatch(/Terraform has been successfully initialized/);
  expect(before).toContain(`provider "${PROVIDER_SOURCE}"`);
  expect(after).toBe(before);
});

test("an existing lock file keeps other providers' entries, in Terraform's order, and gets ours replaced", () => {
  const dir = mkdtempSync(join(root, "merge-"));
  const other = (source: string) =>
    [
      `provider "${source}" {`,
      '  version = "1.0.0"',
      "  hashes = [",
      '    "h1:other=",',
      "  ]",
      "}",
      "",
    ].join("\n");
  const stale = [`provider "${PROVIDER_SOURCE}" {`, '  version = "0.0.1"', "}", ""].join("\n");
  writeFileSync(
    join(dir, LOCK),
    `# header\n\n${other("registry.terraform.io/hashicorp/null")}\n${stale}\n${other("a.example/x/y")}`,
  );
  const platformDir = join(dir, "pkg");
  mkdirSync(platformDir);
  writeFileSync(join(platformDir, "terraform-provider-ghsecrets"), "x");

  writeLockFile(dir, {
    source: PROVIDER_SOURCE,
    version: packageVersion(),
    constraints: packageVersion(),
    packageDirs: [platformDir, platformDir],
  });
  const text = readFileSync(join(dir, LOCK), "utf8");
  const addresses = [...text.matchAll(/^provider "([^"]+)"/gm)].map((m) => m[1]);
  // By hostname first: "a.example" < "cdktf-github-secrets.local" < "registry.terraform.io".
  expect(addresses).toEqual(["a.example/x/y", PROVIDER_SOURCE, "registry.terraform.io/hashicorp/null"]);
  expect(text).toContain(other("registry.terraform.io/hashicorp/null"));
  expect(text).toContain(other("a.example/x/y"));
  expect(text).not.toContain('"0.0.1"');
  expect(text.match(/"h1:/g)).toHaveLength(3); // two others, and one for identical platform directories
  expect(text.startsWith('# This file is maintained automatically by "terraform init".')).toBe(true);
});
