/**
 * `ghsecrets_environment_secret` in the fast tier: the resource driven in this process through the
 * provider's RPC handlers, as Terraform drives it (test/helpers/in-process-terraform.ts), against the
 * emulator over HTTP. The whole lifecycle with its API budget, and every diagnostic the resource emits.
 */
import { generateKeyPairSync } from "node:crypto";
import { sealSecret } from "../src/crypto";
import { DRIFT_MARKER } from "../src/provider/resources/environment-secret";
import { GithubEmulator, ROUTE } from "../src/testing";
import {
  type Declared,
  InProcessTerraform,
  type ObjectValue,
  type Plan,
  ProviderProcess,
  UNKNOWN,
} from "./helpers/in-process-terraform";

const REPO = "acme/api";
const ENVS = ["production", "prod/us-east"];
const TYPE = "ghsecrets_environment_secret";
const LIST = `GET ${ROUTE.secrets}`;
const KEY = `GET ${ROUTE.publicKey}`;
const PUT = `PUT ${ROUTE.secret}`;
const DELETE = `DELETE ${ROUTE.secret}`;
const GET_ONE = `GET ${ROUTE.secret}`;

let emulator: GithubEmulator;

beforeAll(async () => {
  emulator = await GithubEmulator.start({
    repositories: { [REPO]: [...ENVS, "staging", "full", "ünïcödé"], "acme/other": ["production"] },
  });
});
afterAll(() => emulator?.stop());

function counts(): Record<string, number> {
  const c = emulator.requestCounts();
  emulator.resetRequestCounts();
  return c;
}
const held = (env: string, name: string) => emulator.getSecretValue(REPO, env, name);

function secret(name: string, attrs: Record<string, unknown> = {}, extra: Partial<Declared> = {}): Declared {
  return {
    type: TYPE,
    config: {
      repository: REPO,
      environment: "production",
      secret_name: name,
      value_env: `V_${name}`,
      ...attrs,
    },
    ...extra,
  } as Declared;
}

function workspace(env: Record<string, string | undefined> = {}, provider: Record<string, unknown> = {}) {
  return new InProcessTerraform({
    baseUrl: emulator.url,
    token: emulator.token,
    env,
    provider: provider as never,
  });
}

/** The plan succeeded; its errors otherwise, in the failure message. */
function expectClean(result: { errors: unknown[]; text: string }): void {
  expect(result.errors.length === 0 ? "" : result.text).toBe("");
}

describe("one stack through its whole life", () => {
  const values: Record<string, string> = {};
  for (let i = 0; i < 20; i++) values[`V_S${i}`] = `value-${i}`;
  let tf: InProcessTerraform;
  beforeAll(() => {
    tf = workspace(values);
  });
  /** 20 secrets, 10 per environment. */
  const stack = (overrides: Record<string, Declared> = {}): Record<string, Declared> => {
    const resources: Record<string, Declared> = {};
    for (let i = 0; i < 20; i++) resources[`s${i}`] = secret(`S${i}`, { environment: ENVS[i % 2] });
    return { ...resources, ...overrides };
  };
  const renamed = { s8: secret("S8_RENAMED", { value_env: "V_S8" }) };

  test("apply creates 20 secrets: one key fetch per environment, one PUT per secret", async () => {
    counts();
    const applied = await tf.apply(stack());
    expectClean(applied);
    expect(applied.actions.create).toHaveLength(20);
    for (let i = 0; i < 20; i++) expect(held(ENVS[i % 2], `S${i}`)).toBe(`value-${i}`);
    const c = counts();
    expect(c[KEY]).toBe(2);
    expect(c[PUT]).toBe(20);
    const state = tf.get("s3");
    expect(state).toMatchObject({ id: `${REPO}:prod/us-east:S3`, value: null });
    expect(state.value_fingerprint).toMatch(/^scrypt1\$/);
    expect(typeof state.created_at).toBe("string");
  });

  test("a second plan shows no changes and costs one list call per environment", async () => {
    const plan = await tf.plan(stack());
    expectClean(plan);
    expect(plan.actions).toEqual({});
    expect(counts()).toEqual({ [LIST]: 2 });
  });

  test("a value change is an in-place update with one PUT; the fingerprint changes", async () => {
    const before = tf.get("s3").value_fingerprint;
    const env = { V_S3: "value-3-rotated" };
    const plan = await tf.plan(stack(), { env });
    expect(plan.actions).toEqual({ update: ["s3"] });
    expect(plan.changes.s3.planned!.value_fingerprint).not.toBe(before);
    counts();
    expectClean(await tf.apply(stack(), { env }));
    expect(held("prod/us-east", "S3")).toBe("value-3-rotated");
    expect(counts()[PUT]).toBe(1);
    expectClean(await tf.apply(stack()));
    expect(held("prod/us-east", "S3")).toBe("value-3");
  });

  test("an out-of-band change is detected and the declared value restored", async () => {
    emulator.setSecretOutOfBand(REPO, "production", "S4", "tampered");
    counts();
    const plan = await tf.plan(stack());
    expect(counts()).toEqual({ [LIST]: 2 });
    expect(plan.actions).toEqual({ update: ["s4"] });
    expect(plan.changes.s4.prior!.value_fingerprint).toBe(DRIFT_MARKER);
    expect(DRIFT_MARKER).toBe("changed outside Terraform");
    expectClean(await tf.apply(stack()));
    expect(held("production", "S4")).toBe("value-4");
    // The plan's refresh lists both environments; the apply's process checks production again,
    // fetches its key once and writes once: what a real terraform apply costs.
    expect(counts()).toEqual({ [LIST]: 3, [KEY]: 1, [PUT]: 1 });
    expect((await tf.plan(stack())).actions).toEqual({});
  });

  test("an out-of-band delete is named in the plan and re-created", async () => {
    emulator.deleteSecretOutOfBand(REPO, "production", "S6");
    const plan = await tf.plan(stack());
    expect(plan.actions).toEqual({ create: ["s6"] });
    expect(plan.warnings.map((w) => w.summary)).toEqual(["Secret S6 was deleted outside Terraform"]);
    expect(plan.warnings[0].detail).toContain(
      'acme/api, environment "production" no longer has the secret S6',
    );
    counts();
    expectClean(await tf.apply(stack()));
    expect(held("production", "S6")).toBe("value-6");
    expect(counts()).toEqual({ [LIST]: 3, [KEY]: 1, [PUT]: 1 });
  });

  test("a rename replaces the secret: the old one deleted after a read, the new one written", async () => {
    const plan = await tf.plan(stack(renamed));
    expect(plan.actions).toEqual({ replace: ["s8"] });
    expect(plan.changes.s8.requiresReplace).toEqual(["secret_name"]);
    counts();
    expectClean(await tf.apply(stack(renamed)));
    // The delete reads the old secret first: it deletes only what its own resource wrote.
    expect(counts()).toEqual({ [LIST]: 3, [KEY]: 1, [PUT]: 1, [GET_ONE]: 1, [DELETE]: 1 });
    expect(held("production", "S8")).toBeUndefined();
    expect(held("production", "S8_RENAMED")).toBe("value-8");
  });

  test.each([
    ["secret_name", { secret_name: "s10" }],
    ["repository", { repository: "ACME/API" }],
    ["environment", { environment: "PRODUCTION" }],
    [
      "all three, with create_before_destroy",
      { repository: "Acme/Api", environment: "Production", secret_name: "S10" },
    ],
  ])("a change of letter case only (%s) updates the state in place and writes nothing", async (_, change) => {
    for (const attrs of [change, {}]) {
      const changed = { ...renamed, s10: secret("S10", attrs, { createBeforeDestroy: true }) };
      const plan = await tf.plan(stack(changed));
      expect(plan.actions).toEqual({ update: ["s10"] });
      expect(plan.changes.s10.requiresReplace).toEqual([]);
      counts();
      expectClean(await tf.apply(stack(changed)));
      // Nothing to write: GitHub already holds this secret (refresh lists both environments; the
      // apply's plan check lists production once more).
      expect(counts()).toEqual({ [LIST]: 3 });
      expect(held("production", "S10")).toBe("value-10");
    }
  });

  test("terraform import adopts an existing secret; the next apply writes the declared value", async () => {
    emulator.setSecretOutOfBand(REPO, "prod/us-east", "ADOPTED", "old-value");
    const adopted = {
      adopted: secret("ADOPTED", { environment: "prod/us-east", value_env: "ADOPTED_VALUE" }),
    };
    const env = { ADOPTED_VALUE: "declared" };
    counts();
    expectClean(await tf.import("adopted", TYPE, `${REPO}:prod/us-east:ADOPTED`, { env }));
    // The import looks the one secret up, then refreshes it from the listing.
    expect(counts()).toEqual({ [GET_ONE]: 1, [LIST]: 1 });
    // The value is unknown until an apply writes the declared one: no fingerprint yet.
    expect(tf.get("adopted")).toMatchObject({ secret_name: "ADOPTED", value_fingerprint: null });
    const plan = await tf.plan(stack({ ...renamed, ...adopted }), { env });
    expect(plan.actions).toEqual({ update: ["adopted"] });
    expectClean(await tf.apply(stack({ ...renamed, ...adopted }), { env }));
    expect(held("prod/us-east", "ADOPTED")).toBe("declared");
    expect((await tf.plan(stack({ ...renamed, ...adopted }), { env })).actions).toEqual({});
  });

  test("an import block adopts an existing secret in the same plan", async () => {
    emulator.setSecretOutOfBand(REPO, "production", "FROM_BLOCK", "old-value");
    const env = { ADOPTED_VALUE: "declared", BLOCK_VALUE: "declared-too" };
    const all = stack({
      ...renamed,
      adopted: secret("ADOPTED", { environment: "prod/us-east", value_env: "ADOPTED_VALUE" }),
      block: secret(
        "FROM_BLOCK",
        { value_env: "BLOCK_VALUE" },
        { importId: `${REPO}:production:FROM_BLOCK` },
      ),
    });
    const plan = await tf.plan(all, { env });
    expect(plan.actions).toEqual({ update: ["block"] });
    expect(plan.changes.block.imported).toBe(true);
    expectClean(await tf.apply(all, { env }));
    expect(held("production", "FROM_BLOCK")).toBe("declared-too");
  });

  test("destroy removes every secret, also one deleted meanwhile, and destroying again succeeds", async () => {
    // Without a refresh the state still holds S0: its delete finds nothing, which is done.
    emulator.deleteSecretOutOfBand(REPO, "production", "S0");
    counts();
    const destroyed = await tf.destroy({ refresh: false });
    expectClean(destroyed);
    expect(destroyed.actions.delete).toHaveLength(22);
    for (const env of ENVS) expect(emulator.listSecrets(REPO, env)).toEqual([]);
    // Each delete reads its secret first; the one that finds nothing sends no DELETE and checks
    // that the repository is still visible.
    expect(counts()).toEqual({ [GET_ONE]: 22, [DELETE]: 21, [`GET ${ROUTE.repository}`]: 1 });
    expect(tf.state.size).toBe(0);
    expect((await tf.destroy()).actions).toEqual({});
  });
});

describe("value sources", () => {
  test("value (write-only): written, never in the plan or the state; a change plans an update", async () => {
    const tf = workspace();
    const one = (value: string) => ({
      token: secret("API_TOKEN", { value_env: null, value, environment: "staging" }),
    });
    const plan = await tf.plan(one("first-token"));
    expect(plan.changes.token.planned!.value).toBeNull();
    expectClean(await tf.apply(one("first-token")));
    expect(emulator.getSecretValue(REPO, "staging", "API_TOKEN")).toBe("first-token");
    expect(tf.get("token").value).toBeNull();
    expect((await tf.plan(one("first-token"))).actions).toEqual({});
    const changed = await tf.plan(one("second-token"));
    expect(changed.actions).toEqual({ update: ["token"] });
    expectClean(await tf.apply(one("second-token")));
    expect(emulator.getSecretValue(REPO, "staging", "API_TOKEN")).toBe("second-token");
    expect(JSON.stringify([...tf.state.values()])).not.toContain("-token");
    expect(tf.logLines.join("\n")).not.toContain("-token");
  });

  test("value with a Terraform older than 1.11 (no write-only support): refused naming Terraform 1.11", async () => {
    const tf = new InProcessTerraform({
      baseUrl: emulator.url,
      token: emulator.token,
      writeOnlyAllowed: false,
    });
    const plan = await tf.plan({ t: secret("OLD_TF", { value_env: null, value: "x" }) });
    expect(plan.errors).toMatchObject([
      { summary: "Write-only attribute not supported by this Terraform", attribute: "value" },
    ]);
    expect(plan.text).toMatch(/Terraform 1\.11 or later/);
  });

  test("encrypted_value + key_id: sent as sealed, opened by GitHub, fingerprinted without a secret", async () => {
    const key = emulator.getPublicKey(REPO, "ünïcödé");
    const sealed = await sealSecret("sealed-elsewhere", key.key);
    const tf = workspace();
    const one = {
      sealed: secret("SEALED", {
        value_env: null,
        environment: "ünïcödé",
        encrypted_value: sealed,
        key_id: key.keyId,
      }),
    };
    const plan = await tf.plan(one);
    expect(plan.changes.sealed.planned!.value_fingerprint).toMatch(/^sealed/);
    expectClean(await tf.apply(one));
    expect(emulator.getSecretValue(REPO, "ünïcödé", "SEALED")).toBe("sealed-elsewhere");
    expect((await tf.plan(one)).actions).toEqual({});
  });

  test("value_json_key: each secret gets its member; one member changed plans one update; a new member changes nothing", async () => {
    const all = (members: Record<string, unknown>) => ({
      REPOSITORY_SECRETS: JSON.stringify({ github_token: "not-a-value-we-use", ...members }),
    });
    const fromJson = (name: string) =>
      secret(name, { value_env: "REPOSITORY_SECRETS", value_json_key: name });
    const stack = { db: fromJson("DB_PASSWORD"), api: fromJson("API_KEY") };
    const tf = workspace();
    expectClean(await tf.apply(stack, { env: all({ DB_PASSWORD: "db-1", API_KEY: "api-1" }) }));
    expect(held("production", "DB_PASSWORD")).toBe("db-1");
    expect(held("production", "API_KEY")).toBe("api-1");
    const same = await tf.plan(stack, { env: all({ DB_PASSWORD: "db-1", API_KEY: "api-1", NEW: "x" }) });
    expect(same.actions).toEqual({});
    expectClean(await tf.apply(stack, { env: all({ DB_PASSWORD: "db-2", API_KEY: "api-1" }) }));
    expect(held("production", "DB_PASSWORD")).toBe("db-2");

    const errorsWith = async (content: string) =>
      (await tf.plan(stack, { env: { REPOSITORY_SECRETS: content } })).errors;
    const missing = await errorsWith(JSON.stringify({ API_KEY: "api-1" }));
    expect(missing).toMatchObject([
      {
        summary: 'Environment variable REPOSITORY_SECRETS has no member "DB_PASSWORD"',
        attribute: "value_json_key",
      },
    ]);
    expect(missing[0].detail).toContain("create the repository secret DB_PASSWORD");
    const notJson = await errorsWith("DB_PASSWORD=hunter2-not-json");
    expect(notJson.map((d) => d.summary)).toContain(
      "Environment variable REPOSITORY_SECRETS does not hold JSON",
    );
    const array = await errorsWith('["hunter2"]');
    expect(array.map((d) => d.summary)).toContain(
      "Environment variable REPOSITORY_SECRETS does not hold a JSON object",
    );
    const number = await errorsWith(JSON.stringify({ DB_PASSWORD: 4242, API_KEY: "a" }));
    expect(number.map((d) => d.summary)).toEqual([
      'Member "DB_PASSWORD" of REPOSITORY_SECRETS is not a string',
    ]);
    for (const errors of [missing, notJson, array, number]) {
      const text = JSON.stringify(errors);
      for (const leak of ["api-1", "hunter2", "4242"]) expect(text).not.toContain(leak);
    }
  });

  test("a value only known after apply plans an unknown fingerprint; still unknown at apply is an error", async () => {
    const proc = await workspace().startProcess({});
    const config: ObjectValue = {
      ...nullConfig(),
      repository: REPO,
      environment: "production",
      secret_name: "LATER",
      value: UNKNOWN,
    };
    const planned = await proc.plan(TYPE, null, config);
    expect(planned.diagnostics).toEqual([]);
    expect(planned.planned).toMatchObject({ value_fingerprint: UNKNOWN, id: `${REPO}:production:LATER` });
    const applied = await proc.apply(TYPE, null, planned.planned, config);
    expect(applied.diagnostics.map((d) => d.summary)).toEqual([
      "The secret's value is still unknown at apply time",
    ]);
    expect(applied.state).toBeNull();
  });
});

function nullConfig(): Record<string, null> {
  return Object.fromEntries(
    [
      "id",
      "repository",
      "environment",
      "secret_name",
      "value",
      "value_env",
      "value_json_key",
      "encrypted_value",
      "key_id",
      "allow_empty",
      "value_fingerprint",
      "created_at",
      "updated_at",
    ].map((n) => [n, null]),
  );
}

describe("validation: each problem on its attribute, saying how to fix it", () => {
  test.each<[string, Record<string, unknown>, string | undefined, RegExp]>([
    [
      "a reserved name",
      { secret_name: "GITHUB_TOKEN" },
      "secret_name",
      /starts with GITHUB_, which GitHub reserves: choose another prefix/,
    ],
    [
      "a repository without owner",
      { repository: "acme" },
      "repository",
      /is not of the form owner\/name: write it like "acme\/api"/,
    ],
    [
      "an environment that is a path trick",
      { environment: ".." },
      "environment",
      /would address the repository/,
    ],
    [
      "two sources",
      { encrypted_value: "abc", key_id: "1" },
      "encrypted_value",
      /Only one value source may be set, found value_env and encrypted_value/,
    ],
    ["no source", { value_env: null }, undefined, /No value source[\s\S]*Set exactly one of value/],
    [
      "encrypted_value without key_id",
      { value_env: null, encrypted_value: "c2VhbGVk" },
      "key_id",
      /encrypted_value and key_id go together/,
    ],
    [
      "key_id without encrypted_value",
      { key_id: "123" },
      "encrypted_value",
      /encrypted_value and key_id go together/,
    ],
    [
      "value_json_key without value_env",
      { value_env: null, value: "x", value_json_key: "DB" },
      "value_json_key",
      /value_json_key needs value_env/,
    ],
    [
      "an empty value_json_key",
      { value_json_key: "" },
      "value_json_key",
      /value_json_key is empty[\s\S]*e\.g\. DB_PASSWORD/,
    ],
    [
      "a value_env that is no variable name",
      { value_env: "DB PASSWORD" },
      "value_env",
      /is not an environment variable name/,
    ],
    [
      "an encrypted_value that is not base64",
      { value_env: null, encrypted_value: "not base64!!", key_id: "1" },
      "encrypted_value",
      /^encrypted_value: /m,
    ],
    [
      "an encrypted_value too short for a sealed box",
      { value_env: null, encrypted_value: Buffer.alloc(20).toString("base64"), key_id: "1" },
      "encrypted_value",
      /^encrypted_value: /m,
    ],
    [
      "an empty key_id",
      { value_env: null, encrypted_value: Buffer.alloc(60).toString("base64"), key_id: "" },
      "key_id",
      /^key_id: /m,
    ],
  ])("%s", async (_, attrs, attribute, message) => {
    const plan = await workspace({ V_X: "x" }).plan({ x: secret("X", attrs) });
    expect(plan.errors.length).toBeGreaterThan(0);
    const match = plan.errors.find((d) => message.test(`${d.summary}\n${d.detail}`));
    expect(match ? match.attribute : plan.text).toBe(attribute);
    expect(match!.address).toBe("x");
  });
});

describe("plan-time checks: a green plan means the apply can succeed", () => {
  const planOf = async (resources: Record<string, Declared>, env: Record<string, string | undefined> = {}) =>
    workspace({ V_A: "v", V_B: "v", V_C: "v", V_EMPTY: "", ...env }).plan(resources);

  test("an environment that does not exist, before any write, naming repository, environment and secret", async () => {
    const plan = await planOf({ a: secret("A", { environment: "qa" }) });
    expect(plan.text).toMatch(/environment "qa" does not exist in acme\/api/);
    expect(plan.text).toMatch(/acme\/api, environment "qa", secret A/);
  });

  test("a repository that does not exist (or the credentials cannot see)", async () => {
    const plan = await planOf({ a: secret("A", { repository: "acme/nothing" }) });
    expect(plan.errors).toHaveLength(1);
    expect(plan.text).toMatch(/acme\/nothing/);
    expect(plan.text).toMatch(/repository/i);
  });

  test("a wrong token", async () => {
    const plan = await planOf({ a: secret("A") }, { GITHUB_TOKEN: "ghp_wrong" });
    expect(plan.errors).toHaveLength(1);
    expect(plan.text).toMatch(/credentials|token/i);
    expect(plan.text).not.toContain("ghp_wrong");
  });

  test("no credentials: one diagnostic naming the variables to set", async () => {
    const plan = await planOf({ a: secret("A") }, { GITHUB_TOKEN: undefined });
    expect(plan.errors.map((d) => d.summary)).toEqual(["No GitHub credentials"]);
    expect(plan.text).toMatch(/Set GITHUB_TOKEN \(or GH_TOKEN\)/);
  });

  test("one listing per environment, shared by all its secrets", async () => {
    counts();
    const plan = await planOf({ a: secret("A"), b: secret("B"), c: secret("C") });
    expect(plan.actions).toEqual({ create: ["a", "b", "c"] });
    expect(counts()).toEqual({ [LIST]: 1 });
  });

  test("the same secret declared twice (letter case aside) is refused, naming both spellings", async () => {
    const plan = await planOf(
      { first: secret("DB_PASSWORD"), second: secret("db_password") },
      {
        V_DB_PASSWORD: "v",
        V_db_password: "v",
      },
    );
    expect(plan.text).toMatch(/declared twice/);
    expect(plan.text).toContain("DB_PASSWORD");
    expect(plan.text).toContain("db_password");
  });

  test("more than 100 secrets in one environment, counting those that exist, is refused", async () => {
    for (let i = 0; i < 95; i++) emulator.setSecretOutOfBand(REPO, "full", `EXISTING_${i}`, "x");
    const env: Record<string, string> = {};
    const resources: Record<string, Declared> = {};
    for (let i = 0; i < 10; i++) {
      resources[`n${i}`] = secret(`NEW_${i}`, { environment: "full" });
      env[`V_NEW_${i}`] = "v";
    }
    expect((await planOf(resources, env)).text).toMatch(/at most 100/);
    const fits: Record<string, Declared> = {};
    for (let i = 0; i < 5; i++) fits[`n${i}`] = resources[`n${i}`];
    for (let i = 0; i < 20; i++) {
      fits[`e${i}`] = secret(`EXISTING_${i}`, { environment: "full" });
      env[`V_EXISTING_${i}`] = "v";
    }
    expectClean(await planOf(fits, env));
  });

  test("a missing value_env variable is an error on value_env naming it", async () => {
    const plan = await planOf({ db: secret("DB", { value_env: "NOT_SET_ANYWHERE" }) });
    expect(plan.errors).toMatchObject([
      { summary: "Environment variable NOT_SET_ANYWHERE is not set", attribute: "value_env" },
    ]);
    expect(plan.text).toMatch(/export it in the environment that runs terraform/);
  });

  test("an empty value is refused naming its source, and written with allow_empty = true", async () => {
    const fromEnv = await planOf({ a: secret("EMPTY") });
    expect(fromEnv.errors).toMatchObject([{ attribute: "value_env" }]);
    expect(fromEnv.text).toMatch(/environment variable V_EMPTY \(value_env\) is empty/);
    expect(fromEnv.text).toMatch(/allow_empty/);
    const fromValue = await planOf({ a: secret("EMPTY", { value_env: null, value: "" }) });
    expect(fromValue.errors).toMatchObject([{ attribute: "value" }]);
    const tf = workspace({ V_EMPTY: "" });
    expectClean(await tf.apply({ a: secret("EMPTY", { allow_empty: true }) }));
    expect(held("production", "EMPTY")).toBe("");
  });

  test("a value above 48 KB, from value or value_env, on its attribute", async () => {
    const big = "y".repeat(50_000);
    const fromEnv = await planOf({ a: secret("BIG") }, { V_BIG: big });
    expect(fromEnv.errors).toMatchObject([
      { attribute: "value_env", summary: expect.stringMatching(/50000 bytes/) },
    ]);
    const fromValue = await planOf({ a: secret("BIG", { value_env: null, value: big }) });
    expect(fromValue.errors).toMatchObject([{ attribute: "value" }]);
  });

  test("a value_env changed between plan -out and apply: a clear error, nothing written", async () => {
    const tf = workspace({ V_CHANGING: "first" });
    const one = { v: secret("CHANGING") };
    expectClean(await tf.apply(one));
    const saved = await tf.plan(one, { env: { V_CHANGING: "second" } });
    expect(saved.actions).toEqual({ update: ["v"] });
    const applied = await tf.applyPlan(saved, { env: { V_CHANGING: "third" } });
    expect(applied.errors).toMatchObject([
      {
        summary: "The value of environment variable V_CHANGING changed since the plan was made",
        attribute: "value_env",
      },
    ]);
    expect(applied.text).not.toMatch(/bug in the provider/);
    expect(held("production", "CHANGING")).toBe("first");
    // The same saved plan with the value it was made with applies.
    expectClean(await tf.applyPlan(saved, { env: { V_CHANGING: "second" } }));
    expect(held("production", "CHANGING")).toBe("second");
  });
});

describe("apply-time failures name the secret", () => {
  test("an environment removed between plan and apply: create fails naming repository, environment and secret", async () => {
    emulator.addEnvironment(REPO, "short-lived");
    const tf = workspace({ V_GONE: "v" });
    const plan = await tf.plan({ g: secret("GONE", { environment: "short-lived" }) });
    expectClean(plan);
    emulator.removeEnvironment(REPO, "short-lived");
    const applied = await tf.applyPlan(plan);
    expect(applied.errors.length).toBeGreaterThan(0);
    expect(applied.text).toMatch(/acme\/api, environment "short-lived", secret GONE/);
    expect(tf.state.has("g")).toBe(false);
  });

  test("a delete keeps a secret written again since this resource wrote it, with a warning", async () => {
    const tf = workspace({ V_SHARED: "mine" });
    expectClean(await tf.apply({ s: secret("SHARED") }));
    // Someone else writes it later: the emulator stamps an out-of-band write at least 5 s after the
    // last one, beyond the client's allowance for skew between GitHub's clocks, with no wait here.
    emulator.setSecretOutOfBand(REPO, "production", "SHARED", "theirs");
    const destroyed = await tf.destroy({ refresh: false });
    expectClean(destroyed);
    expect(destroyed.warnings.map((w) => w.summary)).toEqual([
      "Secret kept: it was written again after this resource last wrote it",
    ]);
    expect(destroyed.warnings[0].detail).toMatch(
      /acme\/api, environment "production", secret SHARED was updated at/,
    );
    expect(held("production", "SHARED")).toBe("theirs");
  });

  test("moving a secret to another address in one apply keeps it (the delete sees this process wrote it)", async () => {
    const tf = workspace({ V_MOVED: "moved-value" });
    expectClean(await tf.apply({ old: secret("MOVED") }));
    // Every DELETE waits: the PUT of the new address lands first, as in the bad ordering.
    emulator.injectFault({ kind: "delay", ms: 200, count: 1, match: { method: "DELETE" } });
    const moved = await tf.apply({ new: secret("MOVED") });
    emulator.clearFaults();
    expectClean(moved);
    expect(moved.actions).toEqual({ create: ["new"], delete: ["old"] });
    expect(held("production", "MOVED")).toBe("moved-value");
  });
});

describe("import", () => {
  test.each([
    ["an id that is not owner/repo:environment:NAME", "acme-api-DB", /Invalid import id/],
    ["a secret name GitHub refuses", `${REPO}:production:GITHUB_X`, /GitHub reserves/],
    [
      "a secret that does not exist",
      `${REPO}:production:NOPE`,
      /Cannot import a secret that does not exist[\s\S]*acme\/api, environment "production" has no secret NOPE/,
    ],
  ])("%s is a clear error", async (_, id, message) => {
    const tf = workspace();
    const imported = await tf.import("x", TYPE, id);
    expect(imported.errors.length).toBeGreaterThan(0);
    expect(imported.text).toMatch(message);
    expect(tf.state.size).toBe(0);
  });

  test("GitHub failing during the import: an error naming the secret, nothing in state", async () => {
    const tf = workspace({}, { max_retries: 0 });
    emulator.injectFault({ kind: "status", status: 502, count: 1, match: { method: "GET" } });
    const imported = await tf.import("x", TYPE, `${REPO}:production:DB`);
    emulator.clearFaults();
    expect(imported.errors.map((d) => d.summary)).toEqual(["Cannot import the secret"]);
    expect(imported.text).toMatch(/acme\/api, environment "production", secret DB: /);
    expect(tf.state.size).toBe(0);
  });
});

describe("provider settings the resource depends on", () => {
  const KEY_A = "first-key-0123456789abcdef0123456789";
  const KEY_B = "second-key-0123456789abcdef0123456789";
  const two = {
    one: secret("ONE", { value_env: "SECRET_VALUE" }),
    two: secret("TWO", { value_env: "SECRET_VALUE" }),
  };
  const keyed = { fingerprint_key_env: "FP_KEY" };
  const summaries = (p: Plan) => p.warnings.map((w) => w.detail).join("\n");

  test("keyed fingerprints: quiet plans, and a warned one-time rewrite on every key change", async () => {
    const tf = workspace({ SECRET_VALUE: "v1" });
    expectClean(await tf.apply(two));
    expect(tf.get("one").value_fingerprint).toMatch(/^scrypt1\$/);

    const keyedTf = new InProcessTerraform({
      baseUrl: emulator.url,
      token: emulator.token,
      env: { SECRET_VALUE: "v1" },
      provider: keyed,
    });
    for (const [address, entry] of tf.state) keyedTf.state.set(address, entry);
    const added = await keyedTf.plan(two, { env: { FP_KEY: KEY_A } });
    expect(added.actions).toEqual({ update: ["one", "two"] });
    expect(added.warnings[0].summary).toBe("Secret rewritten once: the fingerprint key changed");
    expect(summaries(added)).toMatch(/fingerprint_key_env now names a fingerprint key/);
    expectClean(await keyedTf.apply(two, { env: { FP_KEY: KEY_A } }));
    expect(keyedTf.get("one").value_fingerprint).toMatch(/^hmac1\$/);
    expect(held("production", "ONE")).toBe("v1");

    const quiet = await keyedTf.plan(two, { env: { FP_KEY: KEY_A } });
    expect(quiet.diagnostics).toEqual([]);
    expect(quiet.actions).toEqual({});
    const changed = await keyedTf.plan(two, { env: { FP_KEY: KEY_A, SECRET_VALUE: "v2" } });
    expect(changed.actions).toEqual({ update: ["one", "two"] });
    expect(changed.warnings).toEqual([]);
    const rotated = await keyedTf.plan(two, { env: { FP_KEY: KEY_B } });
    expect(summaries(rotated)).toMatch(/is not the one the stored fingerprint was made with/);

    for (const [address, entry] of keyedTf.state) tf.state.set(address, entry);
    const removed = await tf.plan(two);
    expect(summaries(removed)).toMatch(/fingerprint_key_env is no longer set/);

    const everything = JSON.stringify([added, quiet, changed, rotated, removed, [...keyedTf.state]]);
    expect(everything).not.toContain(KEY_A);
    expect(everything).not.toContain(KEY_B);
    expect(keyedTf.logLines.join("\n")).not.toContain(KEY_A);
  });

  test("a key variable that is not set fails the plan on fingerprint_key_env, before any call", async () => {
    counts();
    const plan = await workspace({ SECRET_VALUE: "v" }, keyed).plan(two);
    expect(plan.errors).toMatchObject([
      {
        summary: "The environment variable FP_KEY (fingerprint_key_env) is not set",
        attribute: "fingerprint_key_env",
      },
    ]);
    expect(counts()).toEqual({});
  });

  test("GitHub App credentials: the key from private_key_env, one installation token per provider process", async () => {
    const app = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    emulator.addApp("31337", { publicKey: app.publicKey, installations: { "4242": {} } });
    const tf = new InProcessTerraform({
      baseUrl: emulator.url,
      env: { V_APP_WRITTEN: "written-as-an-app" },
      provider: { app_id: "31337", installation_id: "4242", private_key_env: "DEPLOY_APP_KEY" },
    });
    const one = { db: secret("APP_WRITTEN") };
    const unset = await tf.plan(one);
    expect(unset.errors.map((d) => d.summary)).toEqual([
      "The environment variable DEPLOY_APP_KEY (private_key_env) is not set",
    ]);
    counts();
    expectClean(await tf.apply(one, { env: { DEPLOY_APP_KEY: app.privateKey } }));
    expect(held("production", "APP_WRITTEN")).toBe("written-as-an-app");
    expect(counts()["POST /app/installations/{installation_id}/access_tokens"]).toBe(2);
  });
});

test("no value or token in any diagnostic, state, or log line of a whole life", async () => {
  const PLAINTEXT = "leak-canary-plaintext-4Zr";
  const tf = workspace({ V_CANARY: PLAINTEXT });
  const results = [
    await tf.apply({ c: secret("CANARY") }),
    await tf.apply({ c: secret("CANARY", { value_env: "V_CANARY_MISSING" }) }),
    await tf.plan({ c: secret("CANARY") }, { env: { GITHUB_TOKEN: "ghp_wrongcanary" } }),
    await tf.destroy(),
  ];
  expect(emulator.getSecretValue(REPO, "production", "CANARY")).toBeUndefined();
  const everything = JSON.stringify(results) + tf.logLines.join("\n");
  expect(tf.logLines.length).toBeGreaterThan(0);
  for (const leak of [PLAINTEXT, emulator.token, "ghp_wrongcanary"]) expect(everything).not.toContain(leak);
});

describe("the process", () => {
  test("StopProvider cancels a write in flight: the apply fails naming the secret, nothing stored", async () => {
    const tf = workspace({ V_HELD: "v" });
    const plan = await tf.plan({ h: secret("HELD") });
    emulator.injectFault({ kind: "delay", ms: 5_000, count: 1, match: { method: "PUT" } });
    const proc = await tf.startProcess({ V_HELD: "v" });
    const change = plan.changes.h;
    const applying = proc.apply(TYPE, null, change.planned, change.config);
    await new Promise((r) => setTimeout(r, 100));
    await proc.stop();
    const started = Date.now();
    const applied = await applying;
    emulator.clearFaults();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(applied.state).toBeNull();
    expect(applied.diagnostics.map((d) => `${d.summary}: ${d.detail}`).join()).toMatch(/cancelled|abort/i);
  });

  test("a misconfigured process answers resource calls with a clear diagnostic", async () => {
    const proc = await ProviderProcess.start({ env: {}, provider: { base_url: emulator.url } });
    expect(proc.configureDiagnostics.map((d) => d.summary)).toEqual(["No GitHub credentials"]);
    const read = await proc.read(TYPE, {
      ...nullConfig(),
      repository: REPO,
      environment: "production",
      secret_name: "X",
    });
    expect(read.diagnostics.map((d) => d.summary)).toEqual(["Provider not configured"]);
  });
});
