/**
 * Renames, moves and replacements never lose a declared secret (issue 7, item 2).
 *
 * When a resource's address changes, Terraform destroys the old address and creates the new one,
 * in parallel, for the same GitHub secret. The emulator holds every DELETE back so that it lands
 * after the PUT of the new address whenever the two overlap: the bad ordering, forced.
 *
 * In the slow tier: four applies of 100 resources each, with Terraform's own parallel walk, which is
 * what this proves. Letter-case-only changes (with create_before_destroy) and a single move are in
 * the fast tier (test/resource-environment-secret.test.ts).
 */
import { GithubEmulator } from "../../src/testing";
import { providerConfig, requireTerraform, TerraformDir } from "../helpers/terraform";

jest.setTimeout(300_000);

const REPO = "acme/api";
const ENV = "production";
const COUNT = 50;
const DELETE = "/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";

let emulator: GithubEmulator;
let tf: TerraformDir;
/** The address prefix the state holds now; each round renames every address to the other one. */
let current = "a";

const values: Record<string, string> = {};
for (let i = 0; i < COUNT; i++) values[`V_${i}`] = `value-${i}`;

/** COUNT secrets SECRET_0.. at addresses `${prefix}0`.. */
function secrets(prefix: string): Record<string, object> {
  const resources: Record<string, object> = {};
  for (let i = 0; i < COUNT; i++) {
    resources[`${prefix}${i}`] = {
      repository: REPO,
      environment: ENV,
      secret_name: `SECRET_${i}`,
      value_env: `V_${i}`,
    };
  }
  return resources;
}

function missing(): string[] {
  const held = new Set(emulator.listSecrets(REPO, ENV).map((s) => s.name));
  return Object.keys(values)
    .map((_, i) => `SECRET_${i}`)
    .filter((name) => !held.has(name));
}

beforeAll(async () => {
  requireTerraform();
  emulator = await GithubEmulator.start({ repositories: { [REPO]: [ENV, "staging"] } });
  tf = new TerraformDir("rename", { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: emulator.token, ...values });
  tf.writeConfig(providerConfig(secrets("a")));
  await tf.ok(["init"]);
  await tf.ok(["apply", "-auto-approve", "-parallelism=50"]);
  expect(missing()).toEqual([]);
});

afterAll(async () => {
  tf?.remove();
  await emulator?.stop();
});

describe.each([10, 50])("-parallelism=%i", (parallelism) => {
  test.each([1, 2])(`renaming ${COUNT} addresses keeps every secret (round %i)`, async () => {
    // Every DELETE waits 400 ms: a PUT of the same secret started meanwhile lands first.
    emulator.clearFaults();
    emulator.injectFault({
      kind: "delay",
      ms: 400,
      count: Infinity,
      match: { method: "DELETE", route: DELETE },
    });
    current = current === "a" ? "b" : "a";
    tf.writeConfig(providerConfig(secrets(current)));
    const applied = await tf.ok(["apply", "-auto-approve", `-parallelism=${parallelism}`]);
    emulator.clearFaults();
    expect(applied.stdout).toContain(`${COUNT} added, 0 changed, ${COUNT} destroyed`);
    expect(missing()).toEqual([]);
    for (let i = 0; i < COUNT; i += 7) {
      expect(emulator.getSecretValue(REPO, ENV, `SECRET_${i}`)).toBe(`value-${i}`);
    }
    const again = await tf.ok(["plan", "-detailed-exitcode"]);
    expect(again.stdout).toContain("No changes");
  });
});
