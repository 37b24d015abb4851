/**
 * value_env + value_json_key (SecretValue.fromJsonEnv) end to end: one environment variable holding
 * a JSON object of every value, as GitHub Actions' `toJSON(secrets)` gives it. What GitHub receives,
 * and how a real saved plan of a changed member reads in the plan report. The diagnostics, which
 * never echo the variable's content, are in the fast tier (test/resource-environment-secret.test.ts).
 * In the slow tier: the same member cases run in the core suite in process ("value_json_key: each
 * secret gets its member..." in the fast tier); this file confirms them on the real terraform.
 */
import { planReportCommand } from "../../src/report";
import { GithubEmulator } from "../../src/testing";
import { providerConfig, requireTerraform, TerraformDir } from "../helpers/terraform";

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
