// exclusive: true with the real terraform against the emulator: undeclared secrets are planned as
// deletions and deleted; secrets declared elsewhere in the app are kept; later drift shows up; the
// plan's JSON has the shape the plan report reads. The set resource's own cases (creation deletes
// nothing, destroy deletes nothing, diagnostics) are in test/resource-environment-secret-set.test.ts;
// two stacks sharing an environment without exclusive, in test/slow/shared-environment.test.ts.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import "cdktf/lib/testing/adapters/jest";
import { TerraformStack, Testing } from "cdktf";
import { EnvironmentSecret, EnvironmentSecrets, SecretValue } from "../src";
import { EXIT_DELETES, planReportCommand } from "../src/report";
import { useCdktfE2e } from "./helpers/cdktf-e2e";

jest.setTimeout(180_000);

const e2e = useCdktfE2e(
  "exclusive-terraform",
  { "acme/api": ["production", "staging"] },
  { X_DB: "db-value", X_KEEP: "keep-value", X_OTHER: "other-value" },
);

/** Two stacks of one app: "owner" owns production exclusively, "other" declares KEEP there too. */
function twoStacks(): { owner: TerraformStack; other: TerraformStack } {
  const app = Testing.app();
  const owner = e2e.newStack("owner", app);
  const other = e2e.newStack("other", app);
  new EnvironmentSecrets(owner, "prod", {
    repository: "acme/api",
    environment: "production",
    secrets: { DB_PASSWORD: SecretValue.fromEnv("X_DB") },
    exclusive: true,
  });
  new EnvironmentSecret(other, "keep", {
    repository: "acme/api",
    environment: "production",
    secretName: "KEEP",
    value: SecretValue.fromEnv("X_KEEP"),
  });
  return { owner, other };
}

function names(environment = "production"): string[] {
  return e2e.emulator.listSecrets("acme/api", environment).map((s) => s.name);
}

test("undeclared secrets are planned as deletions and deleted; declared ones elsewhere are kept", async () => {
  for (const name of ["LEFTOVER_A", "LEFTOVER_B", "KEEP"]) {
    e2e.emulator.setSecretOutOfBand("acme/api", "production", name, "set-by-hand");
  }
  const { owner } = twoStacks();
  const dir = e2e.synth(owner);
  await e2e.terraform(dir, "init", "-input=false");
  await e2e.terraform(dir, "plan", "-input=false", "-out=tfplan");
  const shown = await e2e.terraform(dir, "show", "tfplan");
  expect(shown.stdout).toContain('- "LEFTOVER_A"');
  expect(shown.stdout).toContain('- "LEFTOVER_B"');
  expect(shown.stdout).not.toContain('- "KEEP"');
  expect(shown.stdout).toContain("Plan: 1 to import, 1 to add, 1 to change, 0 to destroy.");

  // The plan shape the plan report reads: before.secret_names minus after.secret_names.
  const plan = JSON.parse((await e2e.terraform(dir, "show", "-json", "tfplan")).stdout) as {
    resource_changes: Array<{
      type: string;
      change: { actions: string[]; before: { secret_names: string[] }; after: { secret_names: string[] } };
    }>;
  };
  const set = plan.resource_changes.find((c) => c.type === "ghsecrets_environment_secret_set")!;
  expect(set.change.actions).toEqual(["update"]);
  const deleted = set.change.before.secret_names.filter((n) => !set.change.after.secret_names.includes(n));
  expect(deleted).toEqual(["LEFTOVER_A", "LEFTOVER_B"]);

  // ... and the plan report shows them, and --fail-on-delete counts them.
  const planFile = join(dir, "owner.json");
  writeFileSync(planFile, JSON.stringify(plan));
  const report: string[] = [];
  const io = { stdout: (t: string) => report.push(t), stderr: () => undefined, readStdin: () => "" };
  expect(planReportCommand(["--fail-on-delete", planFile], io)).toBe(EXIT_DELETES);
  const text = report.join("");
  expect(text).toContain("2 to delete: not declared");
  expect(text).toMatch(/`LEFTOVER_A` \| ⛔ \*\*delete: not declared\*\*/);
  expect(text).toMatch(/`LEFTOVER_B` \| ⛔ \*\*delete: not declared\*\*/);
  expect(text).not.toContain("KEEP");

  // Not planned, not deleted: a secret added between plan and apply (or any time later: drift) waits
  // for the next plan, which deletes it.
  e2e.emulator.setSecretOutOfBand("acme/api", "production", "BETWEEN", "x");
  await e2e.terraform(dir, "apply", "-input=false", "tfplan");
  expect(names()).toEqual(["BETWEEN", "DB_PASSWORD", "KEEP"]);
  expect(e2e.emulator.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBe("db-value");

  const next = await e2e.terraform(dir, "plan", "-input=false", "-detailed-exitcode");
  expect(next.code).toBe(2);
  expect(next.stdout).toContain('- "BETWEEN"');
  expect(next.stdout).toContain("Plan: 0 to add, 1 to change, 0 to destroy.");
  await e2e.terraform(dir, "apply", "-input=false", "-auto-approve");
  expect(names()).toEqual(["DB_PASSWORD", "KEEP"]);
  expect((await e2e.terraform(dir, "plan", "-input=false", "-detailed-exitcode")).code).toBe(0);
});

test("declared_secrets holds every name the app declares for the environment", () => {
  const { owner } = twoStacks();
  const dir = e2e.synth(owner);
  const config = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"));
  const sets = Object.values(config.resource.ghsecrets_environment_secret_set) as Array<{
    declared_secrets: string[];
  }>;
  expect(sets.map((s) => s.declared_secrets)).toEqual([["DB_PASSWORD", "KEEP"]]);
});
