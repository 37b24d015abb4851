/**
 * `ghsecrets_environment_variable` in the fast tier (test/helpers/in-process-terraform.ts): create,
 * drift, deletion outside, letter case, replacement, import, destroy, and every diagnostic.
 */
import { GithubEmulator } from "../src/testing";
import { type Declared, InProcessTerraform } from "./helpers/in-process-terraform";

const REPO = "acme/api";
const TYPE = "ghsecrets_environment_variable";

let emulator: GithubEmulator;
beforeAll(async () => {
  emulator = await GithubEmulator.start({ repositories: { [REPO]: ["prod/eu", "staging"] } });
});
afterAll(() => emulator?.stop());

const variable = (value: string, attrs: Record<string, unknown> = {}, extra: Partial<Declared> = {}) =>
  ({
    type: TYPE,
    config: { repository: REPO, environment: "prod/eu", variable_name: "DEPLOY_REGION", value, ...attrs },
    ...extra,
  }) as Declared;
const held = (name = "DEPLOY_REGION", env = "prod/eu") => emulator.getVariableValue(REPO, env, name);
const workspace = (provider: Record<string, unknown> = {}) =>
  new InProcessTerraform({ baseUrl: emulator.url, token: emulator.token, provider: provider as never });

function expectClean(result: { errors: unknown[]; text: string }): void {
  expect(result.errors.length === 0 ? "" : result.text).toBe("");
}

test("create, no-op, drift restored, deleted outside recreated, destroy when already gone", async () => {
  const tf = workspace();
  expectClean(await tf.apply({ region: variable("eu-west-1") }));
  expect(held()).toBe("eu-west-1");
  expect(tf.get("region")).toMatchObject({ id: `${REPO}:prod/eu:DEPLOY_REGION`, value: "eu-west-1" });
  expect((await tf.plan({ region: variable("eu-west-1") })).actions).toEqual({});

  // Drift: the refresh stores GitHub's value, so the plan shows `~ value = "us-east-1" -> "eu-west-1"`.
  emulator.setVariableOutOfBand(REPO, "prod/eu", "DEPLOY_REGION", "us-east-1");
  const drift = await tf.plan({ region: variable("eu-west-1") });
  expect(drift.actions).toEqual({ update: ["region"] });
  expect(drift.changes.region.prior!.value).toBe("us-east-1");
  expect(drift.changes.region.planned!.value).toBe("eu-west-1");
  expectClean(await tf.apply({ region: variable("eu-west-1") }));
  expect(held()).toBe("eu-west-1");

  emulator.deleteVariableOutOfBand(REPO, "prod/eu", "DEPLOY_REGION");
  const gone = await tf.plan({ region: variable("eu-west-1") });
  expect(gone.actions).toEqual({ create: ["region"] });
  expectClean(await tf.apply({ region: variable("eu-west-1") }));
  expect(held()).toBe("eu-west-1");

  // Gone by the time destroy runs (no refresh): still a success.
  emulator.deleteVariableOutOfBand(REPO, "prod/eu", "DEPLOY_REGION");
  const destroyed = await tf.destroy({ refresh: false });
  expectClean(destroyed);
  expect(destroyed.actions).toEqual({ delete: ["region"] });
  expect(held()).toBeUndefined();
  expect(tf.state.size).toBe(0);
});

test("a letter-case change is an update that writes nothing; another name or environment is a replacement", async () => {
  const tf = workspace();
  expectClean(await tf.apply({ v: variable("one", { variable_name: "CASED" }) }));
  const cased = await tf.plan({ v: variable("one", { variable_name: "cased", environment: "PROD/EU" }) });
  expect(cased.actions).toEqual({ update: ["v"] });
  emulator.resetRequestCounts();
  expectClean(await tf.apply({ v: variable("one", { variable_name: "cased", environment: "PROD/EU" }) }));
  expect(Object.keys(emulator.requestCounts()).filter((r) => !r.startsWith("GET"))).toEqual([]);

  const moved = await tf.plan({ v: variable("one", { variable_name: "CASED", environment: "staging" }) });
  expect(moved.actions).toEqual({ replace: ["v"] });
  expect(moved.changes.v.requiresReplace).toEqual(["environment"]);
  expectClean(await tf.apply({ v: variable("one", { variable_name: "CASED", environment: "staging" }) }));
  expect(held("CASED", "staging")).toBe("one");
  expect(held("CASED", "prod/eu")).toBeUndefined();
});

test("import adopts a variable: an import, and an update only when the value differs", async () => {
  emulator.setVariableOutOfBand(REPO, "prod/eu", "ADOPTED", "eu-west-1");
  const id = `${REPO}:prod/eu:ADOPTED`;
  const same = await workspace().plan({
    a: variable("eu-west-1", { variable_name: "ADOPTED" }, { importId: id }),
  });
  expect(same.changes.a).toMatchObject({ imported: true, action: "no-op" });
  const tf = workspace();
  const other = { a: variable("ap-south-1", { variable_name: "ADOPTED" }, { importId: id }) };
  const changed = await tf.plan(other);
  expect(changed.changes.a).toMatchObject({ imported: true, action: "update" });
  expectClean(await tf.apply(other));
  expect(held("ADOPTED")).toBe("ap-south-1");
  expectClean(await workspace().import("b", TYPE, id));
});

describe("diagnostics", () => {
  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ["a repository without owner", { repository: "acme" }, "repository", /write it like "acme\/api"/],
    ["an empty environment", { environment: "" }, "environment", /environment name is empty/],
    [
      "a reserved name",
      { variable_name: "GITHUB_X" },
      "variable_name",
      /variable name "GITHUB_X" starts with GITHUB_/,
    ],
    ["a value above 48 KB", { value: "x".repeat(49 * 1024) }, "value", /variable value is 50176 bytes/],
  ])("%s is refused on its attribute", async (_, attrs, attribute, message) => {
    const plan = await workspace().plan({ v: variable("x", attrs) });
    const match = plan.errors.find((d) => message.test(d.summary));
    expect(match ? match.attribute : plan.text).toBe(attribute);
  });

  test.each([
    ["an id that is not owner/repo:environment:NAME", "nonsense", /Invalid import id[\s\S]*VARIABLE_NAME/],
    ["a name GitHub refuses", `${REPO}:prod/eu:1X`, /starts with a digit/],
    [
      "a variable that does not exist",
      `${REPO}:prod/eu:NOPE`,
      /Cannot import a variable that does not exist/,
    ],
  ])("import of %s is a clear error", async (_, id, message) => {
    const imported = await workspace().import("x", TYPE, id);
    expect(imported.errors.length).toBeGreaterThan(0);
    expect(imported.text).toMatch(message);
    expect(imported.text).not.toMatch(/SECRET_NAME/);
  });

  test("GitHub failing: create, read, delete and import name the variable", async () => {
    const tf = workspace({ max_retries: 0 });
    const fail = (method: string) =>
      emulator.injectFault({ kind: "status", status: 502, count: 1, match: { method } });
    fail("POST");
    const created = await tf.apply({ v: variable("x", { variable_name: "FAILING" }) });
    expect(created.errors.map((d) => d.summary)).toEqual(["Cannot create the variable"]);
    expect(created.text).toMatch(/acme\/api, environment "prod\/eu", variable FAILING: /);
    expectClean(await tf.apply({ v: variable("x", { variable_name: "FAILING" }) }));
    fail("GET");
    expect(
      (await tf.plan({ v: variable("x", { variable_name: "FAILING" }) })).errors.map((d) => d.summary),
    ).toEqual(["Cannot read the variable"]);
    fail("DELETE");
    expect((await tf.destroy({ refresh: false })).errors.map((d) => d.summary)).toEqual([
      "Cannot delete the variable",
    ]);
    fail("GET");
    expect((await tf.import("w", TYPE, `${REPO}:prod/eu:FAILING`)).errors.map((d) => d.summary)).toEqual([
      "Cannot import the variable",
    ]);
    emulator.clearFaults();
  });
});
