// EnvironmentSecrets with the real terraform and the bundled provider against the emulator. In the
// slow tier: a cross-check. The core suite proves what EnvironmentSecrets synthesizes
// (test/environment-secrets.test.ts) and applies one with the real terraform
// (test/exclusive.terraform.test.ts).
import "cdktf/lib/testing/adapters/jest";
import { EnvironmentSecrets, SecretNames, SecretValue } from "../../src";
import { useCdktfE2e } from "../helpers/cdktf-e2e";

jest.setTimeout(120_000);

const e2e = useCdktfE2e(
  "environment-secrets-terraform",
  { "acme/api": ["production", "staging"] },
  { PROD_DB_PASSWORD: "db-value-1", PROD_API_KEY: "api-value-1", PROD_TOKEN: "token-value-1" },
);

test("EnvironmentSecrets applies every secret, and a second plan is empty", async () => {
  const stack = e2e.newStack("many");
  new EnvironmentSecrets(stack, "prod", {
    repository: "acme/api",
    environment: "production",
    secrets: {
      ...SecretNames.fromList(["DB_PASSWORD", "API_KEY"], { envPrefix: "PROD_" }),
      token: SecretValue.fromEnv("PROD_TOKEN"),
    },
  });
  const dir = e2e.synth(stack);
  await e2e.terraform(dir, "init", "-input=false");
  const plan = await e2e.terraform(dir, "plan", "-input=false");
  expect(plan.stdout).toContain("Plan: 3 to add, 0 to change, 0 to destroy.");
  await e2e.terraform(dir, "apply", "-input=false", "-auto-approve");
  expect(e2e.emulator.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBe("db-value-1");
  expect(e2e.emulator.getSecretValue("acme/api", "production", "API_KEY")).toBe("api-value-1");
  expect(e2e.emulator.getSecretValue("acme/api", "production", "TOKEN")).toBe("token-value-1");
  expect((await e2e.terraform(dir, "plan", "-input=false", "-detailed-exitcode")).code).toBe(0);
});
