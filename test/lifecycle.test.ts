import { sealSecret } from "../src/crypto";
import { EnvironmentNotFoundError, ValidationFailedError } from "../src/github";
import { EnvironmentSecretLifecycle, InvalidSecretError } from "../src/lifecycle";
import type { GithubEmulator } from "../src/testing";
import { ENVIRONMENTS, lifecycleFor, startFixture } from "./helpers/lifecycle-fixture";

const LIST = "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets";
const KEY = "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key";
const PUT = "PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";

let fixture: Awaited<ReturnType<typeof startFixture>>;
let emulator: GithubEmulator;
let lifecycle: EnvironmentSecretLifecycle;

beforeEach(async () => {
  fixture = await startFixture();
  ({ emulator, lifecycle } = fixture);
});
afterEach(() => emulator.stop());

const at = (environment: string, secretName = "DB_PASSWORD") => ({
  repository: "acme/api",
  environment,
  secretName,
});

describe.each(ENVIRONMENTS)("environment %s", (environment) => {
  test("create, read, update, delete", async () => {
    const created = await lifecycle.create(at(environment), { kind: "plaintext", value: "first" });
    expect(created.created).toBe(true);
    expect(created.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(emulator.getSecretValue("acme/api", environment, "DB_PASSWORD")).toBe("first");

    expect(await lifecycle.read(at(environment), created.updatedAt)).toMatchObject({ status: "unchanged" });

    const updated = await lifecycle.update(at(environment), { kind: "plaintext", value: "second" });
    expect(updated.created).toBe(false);
    expect(emulator.getSecretValue("acme/api", environment, "DB_PASSWORD")).toBe("second");

    expect(await lifecycle.delete(at(environment))).toEqual({ status: "deleted" });
    expect(emulator.getSecretValue("acme/api", environment, "DB_PASSWORD")).toBeUndefined();
    expect(await lifecycle.read(at(environment), updated.updatedAt)).toEqual({ status: "gone" });
  });
});

test("create over an existing secret overwrites it (upsert)", async () => {
  emulator.setSecretOutOfBand("acme/api", "production", "DB_PASSWORD", "old");
  const result = await lifecycle.create(at("production"), { kind: "plaintext", value: "new" });
  expect(result.created).toBe(false);
  expect(emulator.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBe("new");
});

test("names are case-insensitive and written upper case", async () => {
  await lifecycle.create(at("production", "db_password"), { kind: "plaintext", value: "v" });
  expect(emulator.listSecrets("acme/api", "production").map((s) => s.name)).toEqual(["DB_PASSWORD"]);
  expect(await lifecycle.read(at("production", "Db_Password"))).toMatchObject({ status: "unchanged" });
});

test("delete of a missing secret succeeds", async () => {
  expect(await lifecycle.delete(at("production", "NEVER_THERE"))).toEqual({ status: "alreadyGone" });
});

test("a change made outside is read as changed", async () => {
  const { updatedAt } = await lifecycle.create(at("production"), { kind: "plaintext", value: "mine" });
  emulator.setSecretOutOfBand("acme/api", "production", "DB_PASSWORD", "theirs");
  // A fresh process (a new Terraform refresh) has no cached listing.
  const fresh = lifecycleFor(emulator).lifecycle;
  const read = await fresh.read(at("production"), updatedAt);
  expect(read).toMatchObject({ status: "changed" });
});

test("a listed updated_at up to 2 s after the recorded write is that write (GitHub's clocks differ)", async () => {
  await lifecycle.create(at("production"), { kind: "plaintext", value: "mine" });
  const [listed] = emulator.listSecrets("acme/api", "production");
  const recordedBefore = (ms: number) => new Date(Date.parse(listed!.updatedAt) - ms).toISOString();
  const fresh = () => lifecycleFor(emulator).lifecycle;
  expect(await fresh().read(at("production"), recordedBefore(2000))).toMatchObject({ status: "unchanged" });
  expect(await fresh().read(at("production"), recordedBefore(3000))).toMatchObject({ status: "changed" });
});

test("a delete made outside is read as gone", async () => {
  const { updatedAt } = await lifecycle.create(at("production"), { kind: "plaintext", value: "mine" });
  emulator.deleteSecretOutOfBand("acme/api", "production", "DB_PASSWORD");
  const fresh = lifecycleFor(emulator).lifecycle;
  expect(await fresh.read(at("production"), updatedAt)).toEqual({ status: "gone" });
});

test("reading many secrets costs one list call per environment", async () => {
  for (let i = 0; i < 10; i++) emulator.setSecretOutOfBand("acme/api", "production", `S${i}`, "v");
  for (let i = 0; i < 10; i++) emulator.setSecretOutOfBand("acme/api", "staging env", `S${i}`, "v");
  emulator.resetRequestCounts();
  const reads = [];
  for (let i = 0; i < 10; i++) {
    reads.push(lifecycle.read(at("production", `S${i}`)), lifecycle.read(at("staging env", `S${i}`)));
  }
  const results = await Promise.all(reads);
  expect(results.every((r) => r.status === "unchanged")).toBe(true);
  expect(emulator.requestCounts()[LIST]).toBe(2);
});

test("one key fetch per environment for many writes", async () => {
  emulator.resetRequestCounts();
  await Promise.all(
    [1, 2, 3, 4, 5].map((i) =>
      lifecycle.create(at("production", `S${i}`), { kind: "plaintext", value: `v${i}` }),
    ),
  );
  expect(emulator.requestCounts()[KEY]).toBe(1);
  expect(emulator.requestCounts()[PUT]).toBe(5);
});

test("a key rotated between two puts is fetched again once and the put retried", async () => {
  await lifecycle.create(at("production", "A"), { kind: "plaintext", value: "a" });
  emulator.rotateKey("acme/api", "production");
  emulator.resetRequestCounts();
  await lifecycle.create(at("production", "B"), { kind: "plaintext", value: "b" });
  expect(emulator.getSecretValue("acme/api", "production", "B")).toBe("b");
  expect(emulator.requestCounts()[KEY]).toBe(1);
  expect(emulator.requestCounts()[PUT]).toBe(2);
});

test("a key rotated while one create is in flight: fetched again once; rotated again, the error is kept", async () => {
  emulator.resetRequestCounts();
  emulator.injectFault({ kind: "rotateKey", match: { method: "PUT" } });
  await lifecycle.create(at("production", "C"), { kind: "plaintext", value: "c" });
  expect(emulator.getSecretValue("acme/api", "production", "C")).toBe("c");
  expect(emulator.requestCounts()).toMatchObject({ [KEY]: 2, [PUT]: 2 });

  emulator.resetRequestCounts();
  emulator.injectFault({ kind: "rotateKey", count: 2, match: { method: "PUT" } });
  await expect(lifecycle.create(at("production", "D"), { kind: "plaintext", value: "d" })).rejects.toThrow(
    ValidationFailedError,
  );
  expect(emulator.requestCounts()).toMatchObject({ [KEY]: 1, [PUT]: 2 });
});

test("an environment deleted while a create is in flight gives the environment error", async () => {
  emulator.injectFault({ kind: "removeEnvironment", match: { method: "PUT" } });
  await expect(lifecycle.create(at("staging env", "E"), { kind: "plaintext", value: "e" })).rejects.toThrow(
    EnvironmentNotFoundError,
  );
});

test("an already sealed value is sent as is", async () => {
  const key = emulator.getPublicKey("acme/api", "production");
  const encryptedValue = await sealSecret("pre-sealed", key.key);
  await lifecycle.create(at("production"), { kind: "sealed", encryptedValue, keyId: key.keyId });
  expect(emulator.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBe("pre-sealed");
});

test("import lookup finds an existing secret, or nothing", async () => {
  emulator.setSecretOutOfBand("acme/api", "prod/us-east", "TOKEN", "t");
  expect(await lifecycle.lookup(at("prod/us-east", "token"))).toEqual({
    createdAt: expect.any(String),
    updatedAt: expect.any(String),
  });
  expect(await lifecycle.lookup(at("prod/us-east", "MISSING"))).toBeUndefined();
});

test("invalid input is refused before any call, naming the secret and the fix", async () => {
  emulator.resetRequestCounts();
  await expect(lifecycle.create(at("production", "1BAD"), { kind: "plaintext", value: "v" })).rejects.toThrow(
    InvalidSecretError,
  );
  await expect(
    lifecycle.create(at("production", "OK"), { kind: "plaintext", value: "x".repeat(49153) }),
  ).rejects.toThrow(/acme\/api \/ production \/ OK: secret value is 49153 bytes/);
  expect(Object.keys(emulator.requestCounts())).toEqual([]);
});

describe("a delete on behalf of a resource removes only what that resource wrote", () => {
  const DELETE_ROUTE = "/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";

  test("a write of the same secret (any letter case) racing a delete always survives", async () => {
    // Written by an earlier apply (another process).
    const earlier = lifecycleFor(emulator).lifecycle;
    const { updatedAt } = await earlier.create(at("production"), { kind: "plaintext", value: "old" });
    emulator.injectFault({ kind: "delay", ms: 300, match: { method: "DELETE", route: DELETE_ROUTE } });
    // The old address's delete starts first and is held back by GitHub; the new address's PUT would
    // overtake it without the per-secret queue.
    const deleting = lifecycle.delete(at("production"), { onlyOwnWrite: { recordedUpdatedAt: updatedAt } });
    const writing = lifecycle.create(
      { repository: "ACME/API", environment: "Production", secretName: "db_password" },
      { kind: "plaintext", value: "new" },
    );
    await Promise.all([deleting, writing]);
    expect(await deleting).toEqual({ status: "deleted" });
    expect(emulator.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBe("new");

    // Written first, then the delete: skipped.
    expect(
      await lifecycle.delete(at("production"), { onlyOwnWrite: { recordedUpdatedAt: updatedAt } }),
    ).toEqual({ status: "writtenHere" });
    expect(emulator.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBe("new");
  });

  test("a secret written since the recorded write (another process, another stack) is kept", async () => {
    const { updatedAt } = await lifecycle.create(at("production"), { kind: "plaintext", value: "mine" });
    emulator.setSecretOutOfBand("acme/api", "production", "DB_PASSWORD", "someone else's");
    const fresh = lifecycleFor(emulator).lifecycle; // a later process: no memory of the write
    const outcome = await fresh.delete(at("production"), { onlyOwnWrite: { recordedUpdatedAt: updatedAt } });
    expect(outcome).toMatchObject({ status: "changedSince" });
    expect(emulator.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBe("someone else's");

    // The resource's own last write, or no guard: deleted.
    const latest = emulator.listSecrets("acme/api", "production")[0]!.updatedAt;
    expect(await fresh.delete(at("production"), { onlyOwnWrite: { recordedUpdatedAt: latest } })).toEqual({
      status: "deleted",
    });
  });
});
