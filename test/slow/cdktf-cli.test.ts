/**
 * The cdktf CLI (cdktf-cli 0.21, pinned in test/slow/cdktf-cli/) on a fresh stack of a consumer project
 * (the packed tarball beside cdktf 0.21), offline, against the emulator of the installed package:
 * `cdktf synth`, `cdktf diff`, `cdktf deploy --auto-approve`, `cdktf destroy --auto-approve`, each
 * checked by its effect on the emulator. Every Node process the CLI starts runs with a guard that
 * refuses and records any host but 127.0.0.1 (helpers/network-guard.cjs); Terraform gets a proxy that
 * refuses. The CLI is about 430 MB, so it is not a devDependency: .ci/run installs it (see README.md).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type * as Testing from "../../src/testing";
import { REPO_ROOT, requireTerraform } from "../helpers/terraform";
import {
  consumerWorkDir,
  createConsumerProject,
  installConsumerProject,
  oneSecretApp,
  packLibrary,
  removeWorkDir,
  runOk,
} from "./helpers/consumer-project";

const CLI_DIR = join(REPO_ROOT, "test", "slow", "cdktf-cli");
const CLI = join(CLI_DIR, "node_modules", ".bin", "cdktf");
const CLI_VERSION = "0.21.0";
const CLI_INSTALL = "npm ci --prefix test/slow/cdktf-cli --ignore-scripts --no-audit --no-fund";
const GUARD = join(__dirname, "helpers", "network-guard.cjs");

const REPO = "acme/api";
const ENV = "production";
const VALUE = "cdktf-cli-plaintext-4Kq-value";

const MAIN_JS = oneSecretApp({ commonJs: true, repository: REPO, environment: ENV });

let work: string;
let project: string;
let emulator: Testing.GithubEmulator;

/** The CLI's output without colours. */
const plain = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, "");

async function cdktf(...args: string[]): Promise<string> {
  const started = Date.now();
  const result = await runOk(CLI, args, {
    cwd: project,
    timeoutMs: 300_000,
    redact: [VALUE, emulator.token],
    env: {
      CHECKPOINT_DISABLE: "1",
      DISABLE_VERSION_CHECK: "true",
      // The CLI's configuration and logs (crash reporting is off unless configured there).
      CDKTF_HOME: join(work, "cdktf-home"),
      NODE_OPTIONS: `--require ${GUARD}`,
      NETWORK_GUARD_LOG: join(work, "network.log"),
      HTTPS_PROXY: "http://127.0.0.1:9",
      HTTP_PROXY: "http://127.0.0.1:9",
      NO_PROXY: "",
      TF_CLI_CONFIG_FILE: join(work, "empty.tfrc"),
      GITHUB_API_URL: emulator.url,
      GITHUB_TOKEN: emulator.token,
      DB_PASSWORD: VALUE,
    },
  });
  process.stdout.write(`cdktf ${args.join(" ")}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const output = plain(`${result.stdout}\n${result.stderr}`);
  // What cdktf 0.21 did on a fresh stack before the lock file was written at synth (issue 8).
  expect(output).not.toMatch(/Incomplete lock file information|Could not retrieve providers for locking/);
  return output;
}

beforeAll(async () => {
  if (!existsSync(CLI))
    throw new Error(
      `the cdktf CLI for the tests is not installed: run \`${CLI_INSTALL}\` in the repository root ` +
        "(cdktf-cli 0.21, about 430 MB; .ci/run does it before `npm run test:slow`)",
    );
  const installed = (
    JSON.parse(readFileSync(join(CLI_DIR, "node_modules", "cdktf-cli", "package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  if (installed !== CLI_VERSION)
    throw new Error(
      `cdktf-cli ${installed} is installed, the tests pin ${CLI_VERSION}: run \`${CLI_INSTALL}\``,
    );
  requireTerraform();
  work = consumerWorkDir("cdktf-cli");
  writeFileSync(join(work, "empty.tfrc"), "");
  const tarball = await packLibrary(work);
  project = createConsumerProject(join(work, "app"), {
    tarball,
    dependencies: { cdktf: "0.21.0", constructs: "10.4.2" },
    files: {
      "main.js": MAIN_JS,
      "cdktf.json": JSON.stringify({ language: "typescript", app: "node main.js" }),
    },
  });
  await installConsumerProject(project);
  const testing = require(
    join(project, "node_modules", "cdktf-github-secrets", "dist", "testing"),
  ) as typeof Testing;
  emulator = await testing.GithubEmulator.start({ repositories: { [REPO]: [ENV] } });
}, 600_000);

afterAll(async () => {
  await emulator?.stop();
  removeWorkDir(work);
});

afterEach(() => {
  // No Node process of the CLI, the app or the provider looked up a host other than 127.0.0.1.
  const log = join(work, "network.log");
  expect(existsSync(log) ? readFileSync(log, "utf8") : "").toBe("");
});

const stackDir = () => join(project, "cdktf.out", "stacks", "secrets");
const held = () => emulator.listSecrets(REPO, ENV).map((s) => s.name);

test("cdktf synth writes the stack, the provider beside it and a complete lock file", async () => {
  const output = await cdktf("synth");
  expect(output).toMatch(/Generated Terraform code for the stacks: secrets/);
  const config = readFileSync(join(stackDir(), "cdk.tf.json"), "utf8");
  expect(config).toContain('"value_env": "DB_PASSWORD"');
  expect(config.includes(VALUE)).toBe(false);
  expect(readFileSync(join(stackDir(), ".terraform.lock.hcl"), "utf8")).toMatch(
    /provider "cdktf-github-secrets\.local\/ghsecrets\/ghsecrets"/,
  );
  expect(existsSync(join(stackDir(), "terraform.d", "plugins"))).toBe(true);
  expect(held()).toEqual([]);
});

test("cdktf diff on the fresh stack plans one secret and writes nothing", async () => {
  const output = await cdktf("diff");
  expect(output).toMatch(/Plan: 1 to add, 0 to change, 0 to destroy/);
  expect(held()).toEqual([]);
});

test("cdktf deploy --auto-approve writes the value, sealed; a second diff has no changes", async () => {
  const output = await cdktf("deploy", "--auto-approve");
  expect(output).toMatch(/Apply complete! Resources: 1 added, 0 changed, 0 destroyed/);
  expect(emulator.getSecretValue(REPO, ENV, "DB_PASSWORD") === VALUE).toBe(true);
  expect(await cdktf("diff")).toMatch(/No changes/);
});

test("cdktf destroy --auto-approve deletes it", async () => {
  const output = await cdktf("destroy", "--auto-approve");
  expect(output).toMatch(/Destroy complete! Resources: 1 destroyed/);
  expect(held()).toEqual([]);
  for (const file of ["terraform.secrets.tfstate", "terraform.secrets.tfstate.backup"])
    if (existsSync(join(project, file)))
      expect({ file, leaked: readFileSync(join(project, file), "utf8").includes(VALUE) }).toEqual({
        file,
        leaked: false,
      });
});
