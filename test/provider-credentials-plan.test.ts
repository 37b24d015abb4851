/**
 * Credentials stay out of saved plans (issue 7, item 8). A provider `token` or `private_key` fed by
 * an ephemeral variable is neither in the `plan -out` file nor in `terraform show -json`, and the
 * saved plan still applies when the variable is given again. The same token in a sensitive but not
 * ephemeral variable is in both: that is what the docs warn about, and it proves the scan can see it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GithubEmulator } from "../src/testing";
import { PROVIDER_SOURCE, requireTerraform, TerraformDir } from "./helpers/terraform";
import { readZipEntries } from "./helpers/zip";

jest.setTimeout(180_000);

const REPO = "acme/api";
const TOKEN = "ghp_canaryTokenForSavedPlans0123456789abcdef";

let emulator: GithubEmulator;
let tf: TerraformDir;

function config(ephemeral: boolean): object {
  return {
    terraform: { required_providers: { ghsecrets: { source: PROVIDER_SOURCE } } },
    variable: {
      github_token: { type: "string", sensitive: true, ...(ephemeral ? { ephemeral: true } : {}) },
    },
    provider: { ghsecrets: { token: "${var.github_token}", write_delay_ms: 0 } },
    resource: {
      ghsecrets_environment_secret: {
        db: { repository: REPO, environment: "production", secret_name: "DB", value_env: "DB_VALUE" },
      },
    },
  };
}

/** Everything a saved plan exposes: the files inside the zip, and `terraform show -json`. */
async function savedPlanText(): Promise<string> {
  const entries = readZipEntries(readFileSync(join(tf.dir, "tfplan")));
  const files = [...entries.values()].map((b) => b.toString("utf8")).join("\n");
  const shown = await tf.ok(["show", "-json", "tfplan"]);
  return `${files}\n${shown.stdout}`;
}

beforeAll(async () => {
  requireTerraform();
  emulator = await GithubEmulator.start({ tokens: [TOKEN], repositories: { [REPO]: ["production"] } });
  // No GITHUB_TOKEN: the provider gets the token from its configuration only.
  tf = new TerraformDir("credentials", {
    GITHUB_API_URL: emulator.url,
    GITHUB_TOKEN: undefined,
    GH_TOKEN: undefined,
    DB_VALUE: "db-value",
  });
});

afterAll(async () => {
  tf?.remove();
  await emulator?.stop();
});

test("a token from an ephemeral variable is in neither the saved plan nor its JSON, and the plan applies", async () => {
  tf.writeConfig(config(true));
  await tf.ok(["init"]);
  await tf.ok(["plan", "-out=tfplan"], { TF_VAR_github_token: TOKEN });
  expect(await savedPlanText()).not.toContain(TOKEN);
  // The variable is not in the plan: it must be given again at apply.
  const applied = await tf.ok(["apply", "tfplan"], { TF_VAR_github_token: TOKEN });
  expect(applied.stdout).toContain("1 added");
  expect(emulator.getSecretValue(REPO, "production", "DB")).toBe("db-value");
});

test("the same token from a sensitive, not ephemeral, variable is stored in the saved plan", async () => {
  tf.writeConfig(config(false));
  await tf.ok(["plan", "-out=tfplan"], { TF_VAR_github_token: TOKEN });
  expect(await savedPlanText()).toContain(TOKEN);
});
