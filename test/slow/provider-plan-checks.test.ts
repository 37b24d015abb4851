/**
 * A green plan means the apply can succeed (issue 7, item 6), for the checks that rest on Terraform
 * itself: on its walk sending every resource's plan to one provider process (duplicates, the limit
 * per environment) and on a saved plan carrying the refresh's private data to the apply. The checks
 * of one resource (environment, repository, credentials, sealed values, empty values) are in the
 * fast tier: test/resource-environment-secret.test.ts.
 * In the slow tier: the same three cases run in the core suite in process (the fast tier models one
 * provider process per walk and the saved plan's private data); this file confirms that model on
 * the real terraform.
 */
import { GithubEmulator } from "../../src/testing";
import { providerConfig, requireTerraform, type RunResult, TerraformDir } from "../helpers/terraform";

jest.setTimeout(180_000);

const REPO = "acme/api";
const ENV = "production";

let emulator: GithubEmulator;
let tf: TerraformDir;

const secret = (name: string, extra: Record<string, unknown> = {}) => ({
  repository: REPO,
  environment: ENV,
  secret_name: name,
  value_env: "PLAN_VALUE",
  ...extra,
});

/** terraform plan; the output and the exit code (0 no changes, 1 error, 2 changes). */
async function plan(resources: Record<string, object>, env: Record<string, string> = {}): Promise<RunResult> {
  tf.writeConfig(providerConfig(resources));
  return tf.run(["plan", "-detailed-exitcode"], env);
}

/** Terraform wraps long lines: compare its output with whitespace runs collapsed. */
const flat = (r: RunResult) => `${r.stdout}\n${r.stderr}`.replace(/[\s│]+/g, " ");

beforeAll(async () => {
  requireTerraform();
  emulator = await GithubEmulator.start({ repositories: { [REPO]: [ENV, "full"] } });
  tf = new TerraformDir("plan-checks", {
    GITHUB_API_URL: emulator.url,
    GITHUB_TOKEN: emulator.token,
    PLAN_VALUE: "v",
  });
  tf.writeConfig(providerConfig({ a: secret("A") }));
  await tf.ok(["init"]);
});

afterAll(async () => {
  tf?.remove();
  await emulator?.stop();
});

test("the same secret declared twice (letter case aside) is refused, naming both spellings", async () => {
  const result = await plan({ first: secret("DB_PASSWORD"), second: secret("db_password") });
  expect(result.code).toBe(1);
  const out = flat(result);
  expect(out).toMatch(/declared twice/);
  expect(out).toMatch(/ghsecrets_environment_secret\.(first|second)/);
  expect(out).toContain("DB_PASSWORD");
  expect(out).toContain("db_password");
});

test("more than 100 secrets in one environment, counting those that exist, is refused", async () => {
  for (let i = 0; i < 95; i++) emulator.setSecretOutOfBand(REPO, "full", `EXISTING_${i}`, "x");
  const resources: Record<string, object> = {};
  for (let i = 0; i < 10; i++) resources[`n${i}`] = secret(`NEW_${i}`, { environment: "full" });
  const result = await plan(resources);
  expect(result.code).toBe(1);
  expect(flat(result)).toMatch(/at most 100/);
  // Declaring some that already exist adds nothing.
  const fits: Record<string, object> = {};
  for (let i = 0; i < 5; i++) fits[`n${i}`] = secret(`NEW_${i}`, { environment: "full" });
  for (let i = 0; i < 20; i++) fits[`e${i}`] = secret(`EXISTING_${i}`, { environment: "full" });
  expect((await plan(fits)).code).toBe(2);
});

test("a value_env changed between plan -out and apply: a clear error, nothing written", async () => {
  tf.writeConfig(providerConfig({ v: secret("CHANGING") }));
  await tf.ok(["apply", "-auto-approve"], { PLAN_VALUE: "first" });
  await tf.ok(["plan", "-out=tfplan"], { PLAN_VALUE: "second" });
  const applied = await tf.run(["apply", "tfplan"], { PLAN_VALUE: "third" });
  expect(applied.code).toBe(1);
  const out = flat(applied);
  expect(out).toMatch(/PLAN_VALUE changed since the plan was made/);
  expect(out).not.toMatch(/This is a bug in the provider/);
  expect(emulator.getSecretValue(REPO, ENV, "CHANGING")).toBe("first");
});
