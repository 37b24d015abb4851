/**
 * The write-only `value` with the real terraform: only Terraform can show that an ephemeral variable
 * reaches the provider at apply and that the CLI keeps it out of the plan and the state. The other
 * value sources and every diagnostic are in the fast tier (test/resource-environment-secret.test.ts).
 */
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
  emulator = await GithubEmulator.start({ repositories: { [REPO]: ["staging env"] } });
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
