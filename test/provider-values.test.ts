/**
 * End to end, per value source and per misconfiguration: what the plan shows, what GitHub holds,
 * and the diagnostics a user sees.
 */
import { generateKeyPairSync } from "node:crypto";
import { sealSecret } from "../src/crypto";
import { GithubEmulator } from "../src/testing";
import { providerConfig, requireTerraform, TerraformDir } from "./helpers/terraform";

jest.setTimeout(120_000);

const REPO = "acme/api";
let emulator: GithubEmulator;
const dirs: TerraformDir[] = [];

function workdir(name: string, config: object, env: Record<string, string> = {}): TerraformDir {
  const tf = new TerraformDir(name, { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: emulator.token, ...env });
  tf.writeConfig(config);
  dirs.push(tf);
  return tf;
}

beforeAll(async () => {
  requireTerraform();
  emulator = await GithubEmulator.start({
    repositories: { [REPO]: ["production", "staging env", "ünïcödé"] },
  });
});
afterAll(async () => {
  for (const tf of dirs) tf.remove();
  await emulator?.stop();
});

test("value (write-only) from an ephemeral variable: written, never stored, a change plans an in-place update", async () => {
  const tf = workdir(
    "write-only",
    providerConfig(
      {
        token: {
          repository: REPO,
          environment: "staging env",
          secret_name: "API_TOKEN",
          value: "${var.api_token}",
        },
      },
      { variable: { api_token: { type: "string", ephemeral: true, sensitive: true } } },
    ),
  );
  await tf.ok(["init"]);
  const plan = await tf.ok(["plan"], { TF_VAR_api_token: "first-token" });
  expect(plan.stdout).toMatch(/value\s+= \(write-only attribute\)/);
  await tf.ok(["apply", "-auto-approve"], { TF_VAR_api_token: "first-token" });
  expect(emulator.getSecretValue(REPO, "staging env", "API_TOKEN")).toBe("first-token");

  const state = await tf.stateJson();
  const values = state.values!.root_module!.resources![0].values;
  expect(values.value).toBeNull();
  expect(values.value_fingerprint).toMatch(/^scrypt1\$/);
  expect(values.id).toBe(`${REPO}:staging env:API_TOKEN`);

  await tf.ok(["plan", "-detailed-exitcode"], { TF_VAR_api_token: "first-token" }, 0);
  const changed = await tf.ok(["plan", "-detailed-exitcode"], { TF_VAR_api_token: "second-token" }, 2);
  expect(changed.stdout).toMatch(/will be updated in-place/);
  expect(changed.stdout).toMatch(/~ value_fingerprint/);
  await tf.ok(["apply", "-auto-approve"], { TF_VAR_api_token: "second-token" });
  expect(emulator.getSecretValue(REPO, "staging env", "API_TOKEN")).toBe("second-token");
});

test("encrypted_value + key_id: sent as sealed, opened by GitHub", async () => {
  const key = emulator.getPublicKey(REPO, "ünïcödé");
  const sealed = await sealSecret("sealed-elsewhere", key.key);
  const tf = workdir(
    "sealed",
    providerConfig({
      sealed: {
        repository: REPO,
        environment: "ünïcödé",
        secret_name: "SEALED",
        encrypted_value: sealed,
        key_id: key.keyId,
      },
    }),
  );
  await tf.ok(["init"]);
  await tf.ok(["apply", "-auto-approve"]);
  expect(emulator.getSecretValue(REPO, "ünïcödé", "SEALED")).toBe("sealed-elsewhere");
  await tf.ok(["plan", "-detailed-exitcode"], {}, 0);
});

test("plan-time validation points at the attribute and says how to fix it", async () => {
  const tf = workdir(
    "invalid",
    providerConfig({
      bad_name: { repository: REPO, environment: "production", secret_name: "GITHUB_TOKEN", value_env: "X" },
      bad_repo: { repository: "acme", environment: "production", secret_name: "OK", value_env: "X" },
      two_sources: {
        repository: REPO,
        environment: "production",
        secret_name: "TWO",
        value_env: "X",
        encrypted_value: "abc",
        key_id: "1",
      },
      no_source: { repository: REPO, environment: "production", secret_name: "NONE" },
    }),
    { X: "x" },
  );
  await tf.ok(["init"]);
  const { stdout } = await tf.ok(["validate", "-json"], {}, 1);
  // Where each diagnostic points: the resource, and the configuration line Terraform highlights.
  const found = (JSON.parse(stdout) as { diagnostics: Diagnostic[] }).diagnostics.map(
    (d) => `${d.address} | ${d.snippet?.code.trim() ?? "-"} | ${d.summary}`,
  );
  expect(found.sort()).toEqual(
    [
      'ghsecrets_environment_secret.bad_name | "secret_name": "GITHUB_TOKEN", | secret name "GITHUB_TOKEN" starts with GITHUB_, which GitHub reserves: choose another prefix',
      'ghsecrets_environment_secret.bad_repo | "repository": "acme", | repository "acme" is not of the form owner/name: write it like "acme/api"',
      'ghsecrets_environment_secret.two_sources | "encrypted_value": "abc", | Only one value source may be set, found value_env and encrypted_value',
      "ghsecrets_environment_secret.no_source | } | No value source",
    ].sort(),
  );
});

interface Diagnostic {
  summary: string;
  address?: string;
  snippet?: { code: string };
}

test("a missing value_env variable is a plan-time error naming it", async () => {
  const tf = workdir(
    "missing-env",
    providerConfig({
      db: { repository: REPO, environment: "production", secret_name: "DB", value_env: "NOT_SET_ANYWHERE" },
    }),
  );
  await tf.ok(["init"]);
  const { stdout } = await tf.ok(["plan", "-json"], {}, 1);
  const diagnostics = stdout
    .split("\n")
    .filter((line) => line.includes('"type":"diagnostic"'))
    .map((line) => (JSON.parse(line) as { diagnostic: Diagnostic & { detail: string } }).diagnostic);
  expect(diagnostics).toHaveLength(1);
  expect(diagnostics[0].summary).toMatch(/Environment variable NOT_SET_ANYWHERE is not set/);
  expect(diagnostics[0].detail).toMatch(/export it in the environment that runs terraform/);
  expect(diagnostics[0].snippet?.code.trim()).toBe('"value_env": "NOT_SET_ANYWHERE"');
});

test("missing credentials give one diagnostic naming the variables to set", async () => {
  const tf = workdir(
    "no-credentials",
    providerConfig({
      db: { repository: REPO, environment: "production", secret_name: "DB", value_env: "V" },
    }),
    { V: "v" },
  );
  await tf.ok(["init"]);
  const { stderr } = await tf.ok(["plan"], { GITHUB_TOKEN: undefined, GH_TOKEN: undefined }, 1);
  expect(stderr.match(/Error: /g)).toHaveLength(1);
  expect(stderr).toMatch(/No GitHub credentials/);
  expect(stderr).toMatch(/Set GITHUB_TOKEN \(or GH_TOKEN\)/);
});

test("GitHub App credentials: the key from private_key_env, one installation token for the apply", async () => {
  const app = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  emulator.addApp("31337", { publicKey: app.publicKey, installations: { "4242": {} } });
  const appProvider = {
    app_id: "31337",
    installation_id: "4242",
    private_key_env: "DEPLOY_APP_KEY",
    write_delay_ms: 0,
  };
  const tf = workdir(
    "github-app",
    providerConfig(
      { db: { repository: REPO, environment: "production", secret_name: "APP_WRITTEN", value_env: "V" } },
      { provider: { ghsecrets: appProvider } },
    ),
    // No token at all: only the App can authenticate.
    { V: "written-as-an-app", GITHUB_TOKEN: "", GH_TOKEN: "" },
  );
  await tf.ok(["init"]);
  const unset = await tf.ok(["plan"], {}, 1);
  expect(unset.stderr).toMatch(/The environment variable DEPLOY_APP_KEY \(private_key_env\) is not set/);

  emulator.resetRequestCounts();
  await tf.ok(["apply", "-auto-approve"], { DEPLOY_APP_KEY: app.privateKey });
  expect(emulator.getSecretValue(REPO, "production", "APP_WRITTEN")).toBe("written-as-an-app");
  // The plan checks the environment (one listing) and the apply writes: each provider process mints
  // one token for all its calls.
  expect(emulator.requestCounts()["POST /app/installations/{installation_id}/access_tokens"]).toBe(2);
});

test("a missing environment fails the plan, before any write, with an error naming repository, environment and secret", async () => {
  const tf = workdir(
    "no-env",
    providerConfig({ db: { repository: REPO, environment: "qa", secret_name: "DB", value_env: "V" } }),
    { V: "v" },
  );
  await tf.ok(["init"]);
  const { stderr } = await tf.ok(["apply", "-auto-approve"], {}, 1);
  expect(stderr).toMatch(/environment "qa" does not exist in acme\/api/);
  expect(stderr).toMatch(/acme\/api, environment "qa", secret DB/);
});
