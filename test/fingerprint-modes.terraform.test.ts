/**
 * The keyed fingerprint mode end to end with the real terraform: quiet plans, the warning that
 * explains a one-time rewrite when the key is set, changed or removed, and no key in any output.
 */
import { GithubEmulator } from "../src/testing";
import { providerConfig, requireTerraform, TerraformDir } from "./helpers/terraform";

jest.setTimeout(180_000);

const REPO = "acme/api";
const KEY = "first-key-0123456789abcdef0123456789";
const OTHER_KEY = "second-key-0123456789abcdef0123456789";
let emulator: GithubEmulator;
let tf: TerraformDir;

beforeAll(async () => {
  requireTerraform();
  emulator = await GithubEmulator.start({ repositories: { [REPO]: ["production"] } });
});
afterAll(async () => {
  tf?.remove();
  await emulator?.stop();
});

function config(keyed: boolean): object {
  const secrets = Object.fromEntries(
    ["ONE", "TWO"].map((name) => [
      name.toLowerCase(),
      { repository: REPO, environment: "production", secret_name: name, value_env: "SECRET_VALUE" },
    ]),
  );
  const base = providerConfig(secrets) as { provider: { ghsecrets: Record<string, unknown> } };
  if (keyed) base.provider.ghsecrets.fingerprint_key_env = "FP_KEY";
  return base;
}

/** Terraform wraps long warnings: compare with runs of white space folded to one space. */
const text = (run: { stdout: string; stderr: string }) => (run.stdout + run.stderr).replace(/\s+/g, " ");

async function fingerprints(): Promise<string[]> {
  const state = await tf.stateJson();
  return state.values!.root_module!.resources!.map((r) => String(r.values.value_fingerprint));
}

test("keyed mode: HMAC fingerprints, quiet plans, and a warned one-time rewrite on every key change", async () => {
  tf = new TerraformDir("keyed-fingerprint", {
    GITHUB_API_URL: emulator.url,
    GITHUB_TOKEN: emulator.token,
    SECRET_VALUE: "v1",
  });
  tf.writeConfig(config(false));
  await tf.ok(["init"]);
  await tf.ok(["apply", "-auto-approve"]);
  expect(await fingerprints()).toEqual([
    expect.stringMatching(/^scrypt1\$/),
    expect.stringMatching(/^scrypt1\$/),
  ]);

  // Setting the key: every fingerprint differs once, and the plan says why.
  tf.writeConfig(config(true));
  const added = await tf.ok(["plan", "-detailed-exitcode"], { FP_KEY: KEY }, 2);
  expect(added.stdout).toMatch(/2 to change/);
  expect(text(added)).toMatch(/Secret rewritten once: the fingerprint key changed/);
  expect(text(added)).toMatch(/fingerprint_key_env now names a fingerprint key/);
  emulator.resetRequestCounts();
  await tf.ok(["apply", "-auto-approve"], { FP_KEY: KEY });
  const keyed = await fingerprints();
  expect(keyed).toEqual([expect.stringMatching(/^hmac1\$/), expect.stringMatching(/^hmac1\$/)]);
  expect(emulator.getSecretValue(REPO, "production", "ONE")).toBe("v1");

  // Same key, same values: nothing to do. A changed value: one update, no warning.
  const quiet = await tf.ok(["plan", "-detailed-exitcode"], { FP_KEY: KEY }, 0);
  expect(text(quiet)).not.toMatch(/Warning/);
  const changed = await tf.ok(["plan", "-detailed-exitcode"], { FP_KEY: KEY, SECRET_VALUE: "v2" }, 2);
  expect(text(changed)).not.toMatch(/fingerprint key changed/);

  // Another key: rewritten once, with the reason.
  const rotated = await tf.ok(["plan", "-detailed-exitcode"], { FP_KEY: OTHER_KEY }, 2);
  expect(text(rotated)).toMatch(/is not the one the stored fingerprint was made with/);

  // Key removed: back to scrypt, with the reason.
  tf.writeConfig(config(false));
  const removed = await tf.ok(["plan", "-detailed-exitcode"], {}, 2);
  expect(text(removed)).toMatch(/fingerprint_key_env is no longer set/);

  // The key itself never shows.
  for (const output of [added, quiet, changed, rotated, removed]) {
    expect(text(output)).not.toContain(KEY);
    expect(text(output)).not.toContain(OTHER_KEY);
  }
  expect(JSON.stringify(await tf.stateJson())).not.toContain(KEY);
});

test("a key variable that is not set fails the plan on fingerprint_key_env, before any write", async () => {
  const dir = new TerraformDir("keyed-missing", {
    GITHUB_API_URL: emulator.url,
    GITHUB_TOKEN: emulator.token,
  });
  try {
    dir.writeConfig(config(true));
    await dir.ok(["init"]);
    emulator.resetRequestCounts();
    const plan = await dir.run(["plan"], { SECRET_VALUE: "v", FP_KEY: undefined });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/The environment variable FP_KEY \(fingerprint_key_env\) is not set/);
    expect(emulator.requestCounts()).toEqual({});
  } finally {
    dir.remove();
  }
});
