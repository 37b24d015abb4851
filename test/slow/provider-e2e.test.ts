/**
 * End to end: the real terraform binary, the bundled provider found offline as an implicit local
 * mirror, and the GitHub emulator. Each step checks what GitHub (the emulator) now holds and what
 * it cost in API calls, with Terraform's own walk and provider processes. The resource's other
 * cases (value change, drift, deletion outside, renames, letter case, import) are in the fast tier:
 * test/resource-environment-secret.test.ts.
 * In the slow tier: the same cases run in the core suite in process (the fast tier named above);
 * this file confirms them on the real terraform, with its walk and its provider processes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageHashV1, packageVersion } from "../../src/mirror";
import { GithubEmulator } from "../../src/testing";
import {
  currentPlatform,
  PROVIDER_SOURCE,
  providerConfig,
  requireTerraform,
  TerraformDir,
} from "../helpers/terraform";

jest.setTimeout(180_000);

const REPO = "acme/api";
const ENVS = ["production", "prod/us-east"];
const LIST = "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets";
const KEY = "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key";
const PUT = "PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";
const DELETE = "DELETE /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";
const GET_ONE = "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";

let emulator: GithubEmulator;
let tf: TerraformDir;

/** 20 secrets, 10 per environment, values from environment variables S_0..S_19. */
function secrets(overrides: Record<string, object> = {}): Record<string, object> {
  const resources: Record<string, object> = {};
  for (let i = 0; i < 20; i++) {
    resources[`s${i}`] = {
      repository: REPO,
      environment: ENVS[i % 2],
      secret_name: `SECRET_${i}`,
      value_env: `S_${i}`,
    };
  }
  return { ...resources, ...overrides };
}
const values: Record<string, string> = {};
for (let i = 0; i < 20; i++) values[`S_${i}`] = `value-${i}`;

function counts(): Record<string, number> {
  const c = emulator.requestCounts();
  emulator.resetRequestCounts();
  return c;
}
const held = (env: string, name: string) => emulator.getSecretValue(REPO, env, name);

beforeAll(async () => {
  requireTerraform();
  emulator = await GithubEmulator.start({ repositories: { [REPO]: ENVS } });
  tf = new TerraformDir("e2e", { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: emulator.token, ...values });
  tf.writeConfig(providerConfig(secrets()));
});
afterAll(async () => {
  tf?.remove();
  await emulator?.stop();
});

describe("one stack through its whole life", () => {
  test("init works offline from the implicit local mirror, and the lock file's hash covers the bundle", async () => {
    // Any attempt to reach a registry goes to a port where nothing listens.
    const offline = { HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9", NO_PROXY: "" };
    const { stdout } = await tf.ok(["init"], offline);
    expect(stdout).toMatch(
      /Installed cdktf-github-secrets\.local\/ghsecrets\/ghsecrets v\d+\.\d+\.\d+ \(unauthenticated\)/,
    );
    const platformDir = join(
      tf.dir,
      "terraform.d/plugins",
      PROVIDER_SOURCE,
      packageVersion(),
      currentPlatform(),
    );
    expect(readdirSync(platformDir).sort()).toEqual([
      "ghsecrets-provider.cjs",
      `terraform-provider-ghsecrets_v${packageVersion()}`,
    ]);
    const lock = readFileSync(join(tf.dir, ".terraform.lock.hcl"), "utf8");
    expect(lock).toContain(`"${packageHashV1(platformDir)}"`);
  });

  test("apply creates 20 secrets: one key fetch per environment, one PUT per secret", async () => {
    counts();
    const { stdout } = await tf.ok(["apply", "-auto-approve"]);
    expect(stdout).toMatch(/Apply complete! Resources: 20 added, 0 changed, 0 destroyed/);
    for (let i = 0; i < 20; i++) expect(held(ENVS[i % 2], `SECRET_${i}`)).toBe(`value-${i}`);
    const c = counts();
    expect(c[KEY]).toBe(2);
    expect(c[PUT]).toBe(20);
  });

  test("a second plan shows no changes and costs one list call per environment", async () => {
    const { stdout } = await tf.ok(["plan", "-detailed-exitcode"], {}, 0);
    expect(stdout).toMatch(/No changes/);
    const c = counts();
    expect(c[LIST]).toBe(2);
    expect(c[GET_ONE]).toBeUndefined();
    expect(c[PUT]).toBeUndefined();
  });

  test("destroy removes every secret, also one deleted meanwhile, and destroying again succeeds", async () => {
    // Without a refresh Terraform still believes in SECRET_0: its DELETE answers 404, which is done.
    emulator.deleteSecretOutOfBand(REPO, "production", "SECRET_0");
    counts();
    const { stdout } = await tf.ok(["destroy", "-auto-approve", "-refresh=false"]);
    expect(stdout).toMatch(/Destroy complete! Resources: 20 destroyed/);
    for (const env of ENVS) expect(emulator.listSecrets(REPO, env)).toEqual([]);
    // Each delete reads its secret first (it deletes only what its resource wrote); the one that
    // finds nothing sends no DELETE and checks that the repository is still visible.
    expect(counts()).toEqual({ [GET_ONE]: 20, [DELETE]: 19, "GET /repos/{owner}/{repo}": 1 });
    const again = await tf.ok(["destroy", "-auto-approve"]);
    expect(again.stdout).toMatch(/Destroy complete! Resources: 0 destroyed/);
  });
});
