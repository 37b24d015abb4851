// The constructs against the real terraform binary and the bundled provider (dist/provider-bundle,
// built by `npm run build`), talking to the GitHub emulator on 127.0.0.1. Nothing reaches github.com.
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import "cdktf/lib/testing/adapters/jest";
import { LocalBackend, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { Construct } from "constructs";
import { EnvironmentSecret, GithubSecretsProvider, SecretValue } from "../src";
import { sealSecret } from "../src/crypto";
import { GithubEmulator } from "../src/testing";
import { terraformIn } from "./helpers/cdktf-e2e";
import { requireTerraform } from "./helpers/terraform";

Testing.setupJest();
jest.setTimeout(120_000);

// Testing.fullSynth and Testing.app write cdktf.outdir.* folders into os.tmpdir(): keep them in the
// project's ignored .tmp. Jest gives tests a copy of process.env, so TMPDIR alone would not reach os.
const tmpRoot = join(__dirname, "..", ".tmp");
mkdirSync(tmpRoot, { recursive: true });
const tmp = mkdtempSync(join(tmpRoot, "constructs-terraform-"));
// The core module object itself (an ES namespace import would be a frozen copy).
const os = require("node:os") as typeof import("node:os");
const tmpdirSpy = jest.spyOn(os, "tmpdir").mockReturnValue(tmp);
const savedEnv = { ...process.env };

// Plaintexts that must never be found in any file Terraform or the constructs write.
const FROM_ENV = "from-env-plaintext-7Qx";
const FROM_VARIABLE = "from-variable-plaintext-9Kp";
const PRE_EXISTING = "set-by-hand-before-import-3Lm";

let emulator: GithubEmulator;
let cliConfig: string;

beforeAll(async () => {
  // Before the cdktf matchers run terraform themselves: a missing Terraform says what to install.
  requireTerraform();
  emulator = await GithubEmulator.start({ repositories: { "acme/api": ["prod/eu", "staging"] } });
  // Terraform must not depend on the caller's CLI configuration (dev_overrides, mirrors).
  cliConfig = join(tmp, "empty.tfrc");
  writeFileSync(cliConfig, "");
  Object.assign(process.env, {
    TMPDIR: tmp,
    CHECKPOINT_DISABLE: "1",
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: "1",
    GITHUB_TOKEN: emulator.token,
    GITHUB_API_URL: emulator.url,
    E2E_DB_PASSWORD: FROM_ENV,
    TF_VAR_api_key: FROM_VARIABLE,
  });
});

afterAll(async () => {
  await emulator?.stop();
  for (const key of Object.keys(process.env)) {
    if (!(key in savedEnv)) delete process.env[key];
  }
  Object.assign(process.env, savedEnv);
  tmpdirSpy.mockRestore();
  rmSync(tmp, { recursive: true, force: true });
});

/** A stack whose state stays in its own working directory (cdktf's default is the project root). */
function newStack(id: string): TerraformStack {
  const stack = new TerraformStack(Testing.app(), id);
  new LocalBackend(stack, { path: "terraform.tfstate" });
  return stack;
}

function exampleStack(): TerraformStack {
  const stack = newStack("example");
  new GithubSecretsProvider(stack, "github", { writeDelayMs: 0, maxRetries: 0 });
  const apiKey = new TerraformVariable(stack, "api_key", { type: "string", sensitive: true });
  apiKey.addOverride("ephemeral", true);
  new EnvironmentSecret(stack, "db", {
    repository: "acme/api",
    environment: "prod/eu",
    secretName: "db_password",
    value: SecretValue.fromEnv("E2E_DB_PASSWORD"),
  });
  new EnvironmentSecret(stack, "api", {
    repository: "acme/api",
    environment: "staging",
    secretName: "API_KEY",
    value: SecretValue.fromVariable(apiKey),
  });
  return stack;
}

const terraform = terraformIn;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function filesContaining(dir: string, needle: string): string[] {
  // .terraform holds the provider copy and lock data; it never sees values but is searched anyway.
  return filesUnder(dir).filter((file) => readFileSync(file).includes(needle));
}

test("fullSynth writes the provider mirror next to cdk.tf.json", () => {
  const outdir = Testing.fullSynth(exampleStack());
  const stackDir = join(outdir, "stacks", "example");
  const { version } = require("../package.json") as { version: string };
  const launcher = join(
    stackDir,
    "terraform.d/plugins/cdktf-github-secrets.local/ghsecrets/ghsecrets",
    version,
    "linux_amd64",
    `terraform-provider-ghsecrets_v${version}`,
  );
  expect(existsSync(join(stackDir, "cdk.tf.json"))).toBe(true);
  expect(existsSync(launcher)).toBe(true);
});

test("the synthesized stack is valid Terraform", () => {
  expect(Testing.fullSynth(exampleStack())).toBeValidTerraform();
});

/**
 * The emulator in a child process, for the cdktf matchers: they run terraform synchronously, which
 * would freeze an emulator running in this process.
 */
async function emulatorProcess(): Promise<{ url: string; token: string; stop: () => Promise<void> }> {
  const token = "constructs_matcher_token";
  const child = spawn(
    process.execPath,
    [
      // The built CLI (`npm test` builds first): no TypeScript loader to start in this child.
      "dist/testing/cli.js",
      "--token",
      token,
      "--repo",
      "acme/api",
      "--env",
      "prod/eu",
      "--env",
      "staging",
    ],
    { cwd: join(__dirname, ".."), stdio: ["ignore", "pipe", "pipe"] },
  );
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`emulator did not start in 20 s: ${out}`)), 20_000);
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /GITHUB_API_URL=(\S+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`emulator exited with ${code}: ${out}`));
      });
    });
    return { url, token, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

test("the synthesized stack plans successfully", async () => {
  const emu = await emulatorProcess();
  const saved = { url: process.env.GITHUB_API_URL, token: process.env.GITHUB_TOKEN };
  try {
    process.env.GITHUB_API_URL = emu.url;
    process.env.GITHUB_TOKEN = emu.token;
    expect(Testing.fullSynth(exampleStack())).toPlanSuccessfully();
  } finally {
    process.env.GITHUB_API_URL = saved.url;
    process.env.GITHUB_TOKEN = saved.token;
    await emu.stop();
  }
});

test("apply writes the values, no plaintext lands in any file, and a second plan is empty", async () => {
  const dir = join(Testing.fullSynth(exampleStack()), "stacks", "example");
  await terraform(dir, "init", "-input=false");
  await terraform(dir, "plan", "-input=false", "-out=tfplan");
  writeFileSync(join(dir, "plan.json"), (await terraform(dir, "show", "-json", "tfplan")).stdout);
  await terraform(dir, "apply", "-input=false", "tfplan");

  expect(emulator.getSecretValue("acme/api", "prod/eu", "DB_PASSWORD")).toBe(FROM_ENV);
  expect(emulator.getSecretValue("acme/api", "staging", "API_KEY")).toBe(FROM_VARIABLE);

  const state = JSON.parse(readFileSync(join(dir, "terraform.tfstate"), "utf8"));
  expect(state.resources.map((r: { name: string }) => r.name).sort()).toEqual(["api", "db"]);
  expect(filesContaining(dir, FROM_ENV)).toEqual([]);
  expect(filesContaining(dir, FROM_VARIABLE)).toEqual([]);

  const again = await terraform(dir, "plan", "-input=false", "-detailed-exitcode");
  expect(again.code).toBe(0);
});

test("an encrypted value is applied as given", async () => {
  const { key, keyId } = emulator.getPublicKey("acme/api", "staging");
  const sealed = await sealSecret("sealed-by-the-user", key);
  const stack = newStack("sealed");
  new GithubSecretsProvider(stack, "github", { writeDelayMs: 0 });
  new EnvironmentSecret(stack, "sealed", {
    repository: "acme/api",
    environment: "staging",
    secretName: "SEALED",
    value: SecretValue.encrypted(sealed, keyId),
  });
  const dir = join(Testing.fullSynth(stack), "stacks", "sealed");
  await terraform(dir, "init", "-input=false");
  await terraform(dir, "apply", "-input=false", "-auto-approve");
  expect(emulator.getSecretValue("acme/api", "staging", "SEALED")).toBe("sealed-by-the-user");
});

test("importExisting() adopts a secret created outside Terraform and writes the declared value", async () => {
  emulator.setSecretOutOfBand("acme/api", "prod/eu", "ADOPTED", PRE_EXISTING);
  const stack = newStack("adopt");
  new GithubSecretsProvider(stack, "github", { writeDelayMs: 0 });
  new EnvironmentSecret(stack, "adopted", {
    repository: "acme/api",
    environment: "prod/eu",
    secretName: "adopted",
    value: SecretValue.fromEnv("E2E_DB_PASSWORD"),
  }).importExisting();
  const dir = join(Testing.fullSynth(stack), "stacks", "adopt");
  await terraform(dir, "init", "-input=false");
  const plan = await terraform(dir, "plan", "-input=false");
  // GitHub never returns values: the import comes with an update that writes the declared one.
  expect(plan.stdout).toContain('(imported from "acme/api:prod/eu:ADOPTED")');
  expect(plan.stdout).toContain("Plan: 1 to import, 0 to add, 1 to change, 0 to destroy.");
  await terraform(dir, "apply", "-input=false", "-auto-approve");
  expect(emulator.getSecretValue("acme/api", "prod/eu", "ADOPTED")).toBe(FROM_ENV);
});

test("moveFromId, as docs/constructs.md shows it, moves a secret into another scope without a delete", async () => {
  const statePath = join(tmp, "refactor.tfstate");
  const stackWith = (declare: (stack: TerraformStack) => void): string => {
    const stack = new TerraformStack(Testing.app(), "refactor");
    new LocalBackend(stack, { path: statePath });
    new GithubSecretsProvider(stack, "github", { writeDelayMs: 0 });
    declare(stack);
    return join(Testing.fullSynth(stack), "stacks", "refactor");
  };
  const props = {
    repository: "acme/api",
    environment: "staging",
    secretName: "MOVED",
    value: SecretValue.fromEnv("E2E_DB_PASSWORD"),
  };
  const before = stackWith((stack) => new EnvironmentSecret(stack, "db-password", props));
  await terraform(before, "init", "-input=false");
  await terraform(before, "apply", "-input=false", "-auto-approve");

  const after = stackWith((stack) => {
    const database = new Construct(stack, "database");
    const secret = new EnvironmentSecret(database, "password", props);
    secret.resource.moveFromId("ghsecrets_environment_secret.db-password");
  });
  await terraform(after, "init", "-input=false");
  emulator.resetRequestCounts();
  const plan = await terraform(after, "plan", "-input=false");
  expect(plan.stdout).toContain("has moved to");
  expect(plan.stdout).toContain("0 to add, 0 to change, 0 to destroy");
  await terraform(after, "apply", "-input=false", "-auto-approve");
  expect(Object.keys(emulator.requestCounts()).filter((k) => /^(PUT|DELETE) /.test(k))).toEqual([]);
  expect(emulator.getSecretValue("acme/api", "staging", "MOVED")).toBe(FROM_ENV);
});
