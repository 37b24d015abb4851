/**
 * `ghsecrets_environment_secret_set` (exclusive ownership) in the fast tier
 * (test/helpers/in-process-terraform.ts): undeclared secrets planned as removed names and deleted,
 * declared ones never, creation and destruction deleting nothing, and every diagnostic.
 */
import { GithubEmulator } from "../src/testing";
import { type Declared, InProcessTerraform, UNKNOWN } from "./helpers/in-process-terraform";

const REPO = "acme/api";
const TYPE = "ghsecrets_environment_secret_set";

let emulator: GithubEmulator;
beforeAll(async () => {
  emulator = await GithubEmulator.start({ repositories: { [REPO]: ["production", "hcl", "imported"] } });
});
afterAll(() => emulator?.stop());

const set = (declared: unknown, attrs: Record<string, unknown> = {}, extra: Partial<Declared> = {}) =>
  ({
    type: TYPE,
    config: { repository: REPO, environment: "hcl", declared_secrets: declared, ...attrs },
    ...extra,
  }) as Declared;
const names = (env = "hcl") => emulator.listSecrets(REPO, env).map((s) => s.name);
const workspace = (provider: Record<string, unknown> = {}) =>
  new InProcessTerraform({ baseUrl: emulator.url, token: emulator.token, provider: provider as never });

function expectClean(result: { errors: unknown[]; text: string }): void {
  expect(result.errors.length === 0 ? "" : result.text).toBe("");
}

test("creating a set deletes nothing and warns; the next plan removes the undeclared names; destroy deletes nothing", async () => {
  emulator.setSecretOutOfBand(REPO, "hcl", "OLD", "x");
  emulator.setSecretOutOfBand(REPO, "hcl", "KEPT", "x");
  const tf = workspace();
  const created = await tf.apply({ s: set(["kept"]) });
  expectClean(created);
  expect(created.changes.s.planned!.secret_names).toBe(UNKNOWN);
  // Said by the plan, and again by the final plan of the apply (Terraform folds the two into one).
  expect([...new Set(created.warnings.map((w) => w.summary))]).toEqual([
    "1 secret(s) not declared are left in place by this apply",
  ]);
  expect(created.warnings[0].detail).toContain('acme/api, environment "hcl": OLD.');
  expect(created.warnings[0].detail).toContain('an import block with id "acme/api:hcl"');
  expect(names()).toEqual(["KEPT", "OLD"]);
  expect(tf.get("s")).toMatchObject({ id: "acme/api:hcl", secret_names: ["KEPT", "OLD"] });

  const next = await tf.plan({ s: set(["kept"]) });
  expect(next.actions).toEqual({ update: ["s"] });
  expect(next.changes.s.prior!.secret_names).toEqual(["KEPT", "OLD"]);
  expect(next.changes.s.planned!.secret_names).toEqual(["KEPT"]);
  // Not planned, not deleted: a secret added between plan and apply waits for the next plan.
  emulator.setSecretOutOfBand(REPO, "hcl", "BETWEEN", "x");
  expectClean(await tf.applyPlan(next));
  expect(names()).toEqual(["BETWEEN", "KEPT"]);

  const later = await tf.plan({ s: set(["kept"]) });
  expect(later.changes.s.prior!.secret_names).toEqual(["BETWEEN", "KEPT"]);
  expectClean(await tf.applyPlan(later));
  expect(names()).toEqual(["KEPT"]);
  expect((await tf.plan({ s: set(["kept"]) })).actions).toEqual({});

  expectClean(await tf.destroy());
  expect(names()).toEqual(["KEPT"]);
  expect(tf.state.size).toBe(0);
});

test("an imported set shows the deletions in its first plan; declared names are never deleted", async () => {
  for (const name of ["LEFTOVER_A", "LEFTOVER_B", "DB_PASSWORD"])
    emulator.setSecretOutOfBand(REPO, "imported", name, "x");
  const tf = workspace();
  const owned = {
    s: set(["DB_PASSWORD", "KEEP"], { environment: "imported" }, { importId: "acme/api:imported" }),
  };
  const plan = await tf.plan(owned);
  expect(plan.changes.s).toMatchObject({ imported: true, action: "update" });
  const { prior, planned } = plan.changes.s;
  const removed = (prior!.secret_names as string[]).filter(
    (n) => !(planned!.secret_names as string[]).includes(n),
  );
  expect(removed).toEqual(["LEFTOVER_A", "LEFTOVER_B"]);
  expectClean(await tf.applyPlan(plan));
  expect(names("imported")).toEqual(["DB_PASSWORD"]);
});

test("an environment removed outside Terraform: the set leaves the state and creating it again fails clearly", async () => {
  emulator.addEnvironment(REPO, "doomed");
  const tf = workspace();
  expectClean(await tf.apply({ s: set([], { environment: "doomed" }) }));
  emulator.removeEnvironment(REPO, "doomed");
  const plan = await tf.plan({ s: set([], { environment: "doomed" }) });
  expect(plan.errors.map((d) => d.summary)).toEqual(["The environment does not exist"]);
  expect(plan.text).toContain(
    'acme/api has no environment "doomed": create it in the repository settings first',
  );
});

describe("diagnostics", () => {
  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ["a repository without owner", { repository: "acme" }, "repository", /write it like "acme\/api"/],
    [
      "an environment that is a path trick",
      { environment: ".." },
      "environment",
      /would address the repository/,
    ],
    [
      "a declared name GitHub refuses",
      { declared_secrets: ["GITHUB_X"] },
      "declared_secrets",
      /GitHub reserves/,
    ],
    [
      "declared names known only after apply",
      { declared_secrets: UNKNOWN },
      "declared_secrets",
      /declared_secrets must be known at plan time/,
    ],
  ])("%s is refused on its attribute", async (_, attrs, attribute, message) => {
    const plan = await workspace().plan({ s: set(["A"], attrs) });
    const match = plan.errors.find((d) => message.test(d.summary));
    expect(match ? match.attribute : plan.text).toBe(attribute);
  });

  test.each([
    ["an id that is not owner/repo:environment", "acme-api", /Invalid import id/],
    ["an environment name refused by GitHub's rules", "acme/api:..", /would address the repository/],
    ["an environment that does not exist", "acme/api:qa", /The environment does not exist/],
  ])("import of %s is a clear error", async (_, id, message) => {
    const imported = await workspace().import("s", TYPE, id);
    expect(imported.errors.length).toBeGreaterThan(0);
    expect(imported.text).toMatch(message);
  });

  test("GitHub failing: listing and deleting name the environment", async () => {
    emulator.setSecretOutOfBand(REPO, "production", "UNDECLARED", "x");
    const tf = workspace({ max_retries: 0 });
    const fail = (method: string) =>
      emulator.injectFault({ kind: "status", status: 502, count: 1, match: { method } });
    fail("GET");
    const listing = await tf.plan({ s: set([], { environment: "production" }) });
    expect(listing.errors.map((d) => d.summary)).toEqual(["Cannot list the environment's secrets"]);
    expect(listing.text).toMatch(/acme\/api, environment "production": /);
    expectClean(await tf.apply({ s: set([], { environment: "production" }) }));
    const plan = await tf.plan({ s: set([], { environment: "production" }) });
    expect(plan.actions).toEqual({ update: ["s"] });
    fail("DELETE");
    const deleting = await tf.applyPlan(plan);
    expect(deleting.errors.map((d) => d.summary)).toEqual([
      "Cannot delete undeclared the environment's secrets",
    ]);
    emulator.clearFaults();
    expect(names("production")).toEqual(["UNDECLARED"]);
  });
});
