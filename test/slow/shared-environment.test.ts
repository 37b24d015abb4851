// Two stacks of one app declaring different secrets of one environment, without exclusive, on the
// real terraform: each applies only its own, neither plans changes afterwards, and a secret neither
// declares stays. In the slow tier: the core suite proves that such a stack synthesizes secret
// resources only, no set that could delete others (test/environment-secrets.test.ts); this file
// confirms the outcome on the real terraform.
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { EnvironmentSecrets, SecretValue } from "../../src";
import { useCdktfE2e } from "../helpers/cdktf-e2e";

jest.setTimeout(180_000);

const e2e = useCdktfE2e(
  "shared-environment",
  { "acme/api": ["staging"] },
  { X_ONE: "one-value", X_TWO: "two-value" },
);

test("two stacks declaring different secrets of one environment without exclusive leave each other alone", async () => {
  const app = Testing.app();
  const one = e2e.newStack("one", app);
  const two = e2e.newStack("two", app);
  new EnvironmentSecrets(one, "s", {
    repository: "acme/api",
    environment: "staging",
    secrets: { ONE: SecretValue.fromEnv("X_ONE") },
  });
  new EnvironmentSecrets(two, "s", {
    repository: "acme/api",
    environment: "staging",
    secrets: { TWO: SecretValue.fromEnv("X_TWO") },
  });
  e2e.emulator.setSecretOutOfBand("acme/api", "staging", "UNMANAGED", "x");
  const dirs = [e2e.synth(one), e2e.synth(two)];
  for (const dir of dirs) {
    await e2e.terraform(dir, "init", "-input=false");
    await e2e.terraform(dir, "apply", "-input=false", "-auto-approve");
  }
  for (const dir of dirs) {
    expect((await e2e.terraform(dir, "plan", "-input=false", "-detailed-exitcode")).code).toBe(0);
  }
  expect(e2e.emulator.listSecrets("acme/api", "staging").map((s) => s.name)).toEqual([
    "ONE",
    "TWO",
    "UNMANAGED",
  ]);
  expect(e2e.emulator.getSecretValue("acme/api", "staging", "TWO")).toBe("two-value");
});
