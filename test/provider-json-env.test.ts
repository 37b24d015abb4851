/**
 * value_env + value_json_key (SecretValue.fromJsonEnv) end to end: one environment variable holding
 * a JSON object of every value, as GitHub Actions' `toJSON(secrets)` gives it. What GitHub receives,
 * what a change of one member plans, and the diagnostics, which never echo the variable's content.
 */
import { planReportCommand } from "../src/report";
import { GithubEmulator } from "../src/testing";
import { providerConfig, requireTerraform, TerraformDir } from "./helpers/terraform";

jest.setTimeout(120_000);

const REPO = "acme/api";
let emulator: GithubEmulator;
let tf: TerraformDir;

const fromJson = (name: string, key: string) => ({
  repository: REPO,
  environment: "production",
  secret_name: name,
  value_env: "REPOSITORY_SECRETS",
  value_json_key: key,
});
const allSecrets = (values: Record<string, string>) => ({
  REPOSITORY_SECRETS: JSON.stringify({ github_token: "not-a-value-we-use", ...values }),
});

beforeAll(async () => {
  requireTerraform();
  emulator = await GithubEmulator.start({ repositories: { [REPO]: ["production"] } });
  tf = new TerraformDir("json-env", { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: emulator.token });
  tf.writeConfig(
    providerConfig({ db: fromJson("DB_PASSWORD", "DB_PASSWORD"), api: fromJson("API_KEY", "API_KEY") }),
  );
  await tf.ok(["init"]);
});
afterAll(async () => {
  tf?.remove();
  await emulator?.stop();
});

test("each secret gets its member; one member changed plans one update; a new member changes nothing", async () => {
  await tf.ok(["apply", "-auto-approve"], allSecrets({ DB_PASSWORD: "db-1", API_KEY: "api-1" }));
  expect(emulator.getSecretValue(REPO, "production", "DB_PASSWORD")).toBe("db-1");
  expect(emulator.getSecretValue(REPO, "production", "API_KEY")).toBe("api-1");

  const same = await tf.ok(
    ["plan", "-detailed-exitcode"],
    allSecrets({ DB_PASSWORD: "db-1", API_KEY: "api-1", NEW: "x" }),
  );
  expect(same.stdout).toContain("No changes.");

  const changed = await tf.ok(["plan", "-out=tfplan"], allSecrets({ DB_PASSWORD: "db-2", API_KEY: "api-1" }));
  expect(changed.stdout).toContain("Plan: 0 to add, 1 to change, 0 to destroy.");
  expect(changed.stdout).not.toContain("db-2");
  const json = (await tf.ok(["show", "-json", "tfplan"])).stdout;
  let out = "";
  planReportCommand(["-"], { stdout: (t) => (out += t), stderr: () => undefined, readStdin: () => json });
  expect(out).toContain("| `DB_PASSWORD` | value changed | `env REPOSITORY_SECRETS, key DB_PASSWORD` |");

  await tf.ok(["apply", "-auto-approve"], allSecrets({ DB_PASSWORD: "db-2", API_KEY: "api-1" }));
  expect(emulator.getSecretValue(REPO, "production", "DB_PASSWORD")).toBe("db-2");
});

test("a missing member, content that is not a JSON object, a non-string member: plan errors naming variable and key only", async () => {
  const missing = await tf.run(["plan"], allSecrets({ API_KEY: "api-1" }));
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('Environment variable REPOSITORY_SECRETS has no member "DB_PASSWORD"');
  expect(missing.stderr).toContain("create the repository secret DB_PASSWORD");
  expect(missing.stderr).not.toContain("api-1");

  const notJson = await tf.run(["plan"], { REPOSITORY_SECRETS: "DB_PASSWORD=hunter2-not-json" });
  expect(notJson.code).toBe(1);
  expect(notJson.stderr).toContain("Environment variable REPOSITORY_SECRETS does not hold JSON");
  expect(notJson.stderr).not.toContain("hunter2");

  const array = await tf.run(["plan"], { REPOSITORY_SECRETS: '["hunter2"]' });
  expect(array.stderr).toContain("does not hold a JSON object");
  expect(array.stderr).not.toContain("hunter2");

  const number = await tf.run(["plan"], {
    REPOSITORY_SECRETS: JSON.stringify({ DB_PASSWORD: 4242, API_KEY: "a" }),
  });
  expect(number.stderr).toContain('Member "DB_PASSWORD" of REPOSITORY_SECRETS is not a string');
  expect(number.stderr).not.toContain("4242");
});

test("value_json_key without value_env is refused at validate, pointing at the attribute", async () => {
  const lone = new TerraformDir("json-env-lone", {
    GITHUB_API_URL: emulator.url,
    GITHUB_TOKEN: emulator.token,
  });
  try {
    lone.writeConfig(
      providerConfig({
        db: {
          repository: REPO,
          environment: "production",
          secret_name: "DB",
          value_json_key: "DB",
          value: "x",
        },
      }),
    );
    await lone.ok(["init"]);
    const result = await lone.run(["validate"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("value_json_key needs value_env");
  } finally {
    lone.remove();
  }
});
