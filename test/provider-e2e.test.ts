/**
 * End to end: the real terraform binary, the bundled provider found offline as an implicit local
 * mirror, and the GitHub emulator. Each step checks what GitHub (the emulator) now holds and what
 * it cost in API calls.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageHashV1, packageVersion } from "../src/mirror";
import { GithubEmulator } from "../src/testing";
import {
  currentPlatform,
  PROVIDER_SOURCE,
  providerConfig,
  requireTerraform,
  TerraformDir,
} from "./helpers/terraform";

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

  test("a value change is an in-place update with one PUT", async () => {
    const env = { S_3: "value-3-rotated" };
    const { stdout } = await tf.ok(["plan", "-detailed-exitcode"], env, 2);
    expect(stdout).toMatch(/ghsecrets_environment_secret\.s3 will be updated in-place/);
    expect(stdout).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
    counts();
    await tf.ok(["apply", "-auto-approve"], env);
    expect(held("prod/us-east", "SECRET_3")).toBe("value-3-rotated");
    expect(counts()[PUT]).toBe(1);
    // Back to the declared value for the following steps.
    await tf.ok(["apply", "-auto-approve"]);
  });

  test("an out-of-band change is detected and the declared value restored", async () => {
    emulator.setSecretOutOfBand(REPO, "production", "SECRET_4", "tampered");
    counts();
    const { stdout } = await tf.ok(["plan", "-detailed-exitcode"], {}, 2);
    expect(counts()).toEqual({ [LIST]: 2 });
    expect(stdout).toMatch(/ghsecrets_environment_secret\.s4 will be updated in-place/);
    expect(stdout).toMatch(/changed outside Terraform/);
    expect(stdout).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
    await tf.ok(["apply", "-auto-approve"]);
    expect(held("production", "SECRET_4")).toBe("value-4");
    // Apply refreshes (2 lists), checks the changed secret's environment again in the provider process
    // that applies (1 list), fetches the production key once and writes once.
    expect(counts()).toEqual({ [LIST]: 3, [KEY]: 1, [PUT]: 1 });
    await tf.ok(["plan", "-detailed-exitcode"], {}, 0);
  });

  test("an out-of-band delete is re-created", async () => {
    emulator.deleteSecretOutOfBand(REPO, "production", "SECRET_6");
    const { stdout } = await tf.ok(["plan", "-detailed-exitcode"], {}, 2);
    expect(stdout).toMatch(/ghsecrets_environment_secret\.s6 will be created/);
    expect(stdout).toMatch(/Plan: 1 to add, 0 to change, 0 to destroy/);
    counts();
    await tf.ok(["apply", "-auto-approve"]);
    expect(held("production", "SECRET_6")).toBe("value-6");
    expect(counts()).toEqual({ [LIST]: 3, [KEY]: 1, [PUT]: 1 });
  });

  test("a rename replaces the secret", async () => {
    tf.writeConfig(
      providerConfig(
        secrets({
          s8: {
            repository: REPO,
            environment: "production",
            secret_name: "SECRET_8_RENAMED",
            value_env: "S_8",
          },
        }),
      ),
    );
    const { stdout } = await tf.ok(["plan", "-detailed-exitcode"], {}, 2);
    expect(stdout).toMatch(/ghsecrets_environment_secret\.s8 must be replaced/);
    expect(stdout).toMatch(/Plan: 1 to add, 0 to change, 1 to destroy/);
    counts();
    await tf.ok(["apply", "-auto-approve"]);
    // The delete reads the old secret first: it deletes only what its own resource wrote.
    expect(counts()).toEqual({ [LIST]: 3, [KEY]: 1, [PUT]: 1, [GET_ONE]: 1, [DELETE]: 1 });
    expect(held("production", "SECRET_8")).toBeUndefined();
    expect(held("production", "SECRET_8_RENAMED")).toBe("value-8");
  });

  test("a change of letter case only updates the state in place, never deletes (also with create_before_destroy)", async () => {
    const renamed = {
      repository: REPO,
      environment: "production",
      secret_name: "SECRET_8_RENAMED",
      value_env: "S_8",
    };
    const s10 = (secret_name: string) => ({
      repository: REPO,
      environment: "production",
      secret_name,
      value_env: "S_10",
      lifecycle: { create_before_destroy: true },
    });
    for (const name of ["secret_10", "SECRET_10"]) {
      tf.writeConfig(providerConfig(secrets({ s8: renamed, s10: s10(name) })));
      const { stdout } = await tf.ok(["plan", "-detailed-exitcode"], {}, 2);
      expect(stdout).toMatch(/ghsecrets_environment_secret\.s10 will be updated in-place/);
      expect(stdout).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
      counts();
      await tf.ok(["apply", "-auto-approve"]);
      // Nothing to write: GitHub already holds this secret under its upper-case name. (Refresh lists
      // both environments; the apply's plan check lists production once more.)
      expect(counts()).toEqual({ [LIST]: 3 });
      expect(held("production", "SECRET_10")).toBe("value-10");
    }
  });

  test("terraform import adopts an existing secret; the next apply writes the declared value", async () => {
    emulator.setSecretOutOfBand(REPO, "prod/us-east", "ADOPTED", "old-value");
    const adopted = {
      repository: REPO,
      environment: "prod/us-east",
      secret_name: "ADOPTED",
      value_env: "ADOPTED_VALUE",
    };
    tf.writeConfig(
      providerConfig(
        secrets({
          s8: {
            repository: REPO,
            environment: "production",
            secret_name: "SECRET_8_RENAMED",
            value_env: "S_8",
          },
          adopted,
        }),
      ),
    );
    const env = { ADOPTED_VALUE: "declared" };
    counts();
    const imported = await tf.ok(
      ["import", "ghsecrets_environment_secret.adopted", `${REPO}:prod/us-east:ADOPTED`],
      env,
    );
    expect(imported.stdout).toMatch(/Import successful/);
    // The import looks the one secret up; `terraform import` then refreshes the whole state.
    expect(counts()[GET_ONE]).toBe(1);
    expect(emulator.requestCounts()[PUT]).toBeUndefined();
    const { stdout } = await tf.ok(["plan", "-detailed-exitcode"], env, 2);
    expect(stdout).toMatch(/ghsecrets_environment_secret\.adopted will be updated in-place/);
    await tf.ok(["apply", "-auto-approve"], env);
    expect(held("prod/us-east", "ADOPTED")).toBe("declared");
    await tf.ok(["plan", "-detailed-exitcode"], env, 0);
  });

  test("an import block adopts an existing secret", async () => {
    emulator.setSecretOutOfBand(REPO, "production", "FROM_BLOCK", "old-value");
    const env = { ADOPTED_VALUE: "declared", BLOCK_VALUE: "declared-too" };
    tf.writeConfig(
      providerConfig(
        secrets({
          s8: {
            repository: REPO,
            environment: "production",
            secret_name: "SECRET_8_RENAMED",
            value_env: "S_8",
          },
          adopted: {
            repository: REPO,
            environment: "prod/us-east",
            secret_name: "ADOPTED",
            value_env: "ADOPTED_VALUE",
          },
          block: {
            repository: REPO,
            environment: "production",
            secret_name: "FROM_BLOCK",
            value_env: "BLOCK_VALUE",
          },
        }),
        { import: [{ to: "ghsecrets_environment_secret.block", id: `${REPO}:production:FROM_BLOCK` }] },
      ),
    );
    const { stdout } = await tf.ok(["plan", "-detailed-exitcode"], env, 2);
    expect(stdout).toMatch(/Plan: 1 to import, 0 to add, 1 to change, 0 to destroy/);
    await tf.ok(["apply", "-auto-approve"], env);
    expect(held("production", "FROM_BLOCK")).toBe("declared-too");
  });

  test("destroy removes every secret, also one deleted meanwhile, and destroying again succeeds", async () => {
    const env = { ADOPTED_VALUE: "declared", BLOCK_VALUE: "declared-too" };
    // Without a refresh Terraform still believes in SECRET_0: its DELETE answers 404, which is done.
    emulator.deleteSecretOutOfBand(REPO, "production", "SECRET_0");
    counts();
    const { stdout } = await tf.ok(["destroy", "-auto-approve", "-refresh=false"], env);
    expect(stdout).toMatch(/Destroy complete! Resources: 22 destroyed/);
    for (const env of ENVS) expect(emulator.listSecrets(REPO, env)).toEqual([]);
    // Each delete reads its secret first (it deletes only what its resource wrote); the one that
    // finds nothing sends no DELETE and checks that the repository is still visible.
    expect(counts()).toEqual({ [GET_ONE]: 22, [DELETE]: 21, "GET /repos/{owner}/{repo}": 1 });
    const again = await tf.ok(["destroy", "-auto-approve"], env);
    expect(again.stdout).toMatch(/Destroy complete! Resources: 0 destroyed/);
  });
});
