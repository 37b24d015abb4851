import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import sodium = require("libsodium-wrappers");
import { GithubEmulator, ROUTE } from "../src/testing";
import { parseCliArgs } from "../src/testing/cli-args";

const REPO = "acme/api";
const FULL = "test-token-full";
const READ_ONLY = "test-token-read";
const ENV_NAMES = ["production", "prod/us-east", "staging env", "ünïcödé"];
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let emu: GithubEmulator;
let envCounter = 0;

beforeAll(async () => {
  await sodium.ready;
  emu = await GithubEmulator.start({
    tokens: { [FULL]: {}, [READ_ONLY]: { access: "read" } },
    repositories: { [REPO]: ENV_NAMES },
  });
});

afterAll(async () => {
  await emu.stop();
});

afterEach(() => {
  emu.clearFaults();
});

/** A fresh environment per test, so tests do not share secrets. */
function freshEnv(): string {
  const name = `env-${++envCounter}`;
  emu.addEnvironment(REPO, name);
  return name;
}

function envPath(env: string, repo = REPO): string {
  return `/repos/${repo}/environments/${encodeURIComponent(env)}`;
}

async function api(
  method: string,
  apiPath: string,
  options: { token?: string | null; body?: unknown; scheme?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/vnd.github+json" };
  const token = options.token === undefined ? FULL : options.token;
  if (token !== null) headers.authorization = `${options.scheme ?? "token"} ${token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  return fetch(emu.url + apiPath, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
}

async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

async function publicKey(env: string): Promise<{ key_id: string; key: string }> {
  const res = await api("GET", `${envPath(env)}/secrets/public-key`);
  expect(res.status).toBe(200);
  return json(res);
}

function seal(value: string | Uint8Array, keyBase64: string): string {
  const key = sodium.from_base64(keyBase64, sodium.base64_variants.ORIGINAL);
  return sodium.to_base64(sodium.crypto_box_seal(value, key), sodium.base64_variants.ORIGINAL);
}

async function putSecret(
  env: string,
  name: string,
  value: string | Uint8Array,
  token?: string,
): Promise<Response> {
  const { key_id, key } = await publicKey(env);
  return api("PUT", `${envPath(env)}/secrets/${name}`, {
    token,
    body: { encrypted_value: seal(value, key), key_id },
  });
}

describe("keys and writes", () => {
  test("public key is a real base64 X25519 key with a numeric key id", async () => {
    const env = freshEnv();
    const body = await publicKey(env);
    expect(body.key_id).toMatch(/^\d{18}$/);
    expect(body.key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(sodium.from_base64(body.key, sodium.base64_variants.ORIGINAL)).toHaveLength(32);
    expect(emu.getPublicKey(REPO, env)).toEqual({ keyId: body.key_id, key: body.key });
    // Each environment has its own key pair.
    expect((await publicKey(freshEnv())).key).not.toBe(body.key);
  });

  test("PUT creates with 201, updates with 204, empty bodies; value is stored decrypted", async () => {
    const env = freshEnv();
    const created = await putSecret(env, "DB_PASSWORD", "first");
    expect(created.status).toBe(201);
    expect(await created.text()).toBe("");
    expect(emu.getSecretValue(REPO, env, "DB_PASSWORD")).toBe("first");

    const before = await json(await api("GET", `${envPath(env)}/secrets/DB_PASSWORD`));
    expect(before.created_at).toMatch(ISO_SECONDS);
    expect(before.updated_at).toMatch(ISO_SECONDS);

    const updated = await putSecret(env, "DB_PASSWORD", "second");
    expect(updated.status).toBe(204);
    expect(await updated.text()).toBe("");
    expect(emu.getSecretValue(REPO, env, "db_password")).toBe("second");
    const after = await json(await api("GET", `${envPath(env)}/secrets/DB_PASSWORD`));
    expect(after.created_at).toBe(before.created_at);
    expect(after.updated_at >= before.updated_at).toBe(true);
  });

  test("DELETE answers 204, then 404 once gone", async () => {
    const env = freshEnv();
    expect((await putSecret(env, "TO_GO", "x")).status).toBe(201);
    expect((await api("DELETE", `${envPath(env)}/secrets/TO_GO`)).status).toBe(204);
    expect(emu.getSecretValue(REPO, env, "TO_GO")).toBeUndefined();
    expect((await api("DELETE", `${envPath(env)}/secrets/TO_GO`)).status).toBe(404);
    expect((await api("GET", `${envPath(env)}/secrets/TO_GO`)).status).toBe(404);
  });

  test("a key id that is not the environment's current one is refused with 422", async () => {
    const env = freshEnv();
    const { key } = await publicKey(env);
    const res = await api("PUT", `${envPath(env)}/secrets/A`, {
      body: { encrypted_value: seal("v", key), key_id: "123456789012345678" },
    });
    expect(res.status).toBe(422);
    expect((await json(res)).message).toMatch(/key/);
    expect(emu.getSecretValue(REPO, env, "A")).toBeUndefined();
  });

  test("a value that cannot be opened is refused with 422", async () => {
    const env = freshEnv();
    const { key_id } = await publicKey(env);
    const otherKey = (await publicKey(freshEnv())).key;
    const bodies = [
      { encrypted_value: "bm90IGEgc2VhbGVkIGJveA==", key_id }, // valid base64, not a box
      { encrypted_value: "%%%not base64%%%", key_id },
      { encrypted_value: seal("v", otherKey), key_id }, // a real box, for another environment's key
    ];
    for (const body of bodies) {
      const res = await api("PUT", `${envPath(env)}/secrets/A`, { body });
      expect(res.status).toBe(422);
      expect((await json(res)).message).toBe("Bad request - could not decrypt");
    }
    const missing = await api("PUT", `${envPath(env)}/secrets/A`, { body: { encrypted_value: "abcd" } });
    expect(missing.status).toBe(422);
    expect(emu.listSecrets(REPO, env)).toEqual([]);
  });

  test("secret name rules: 422 for bad names; names are case-insensitive and stored upper case", async () => {
    const env = freshEnv();
    for (const bad of ["1ABC", "GITHUB_TOKEN", "github_thing", "BAD-NAME", "WITH%20SPACE", "caf%C3%A9"]) {
      const res = await putSecret(env, bad, "v");
      expect([bad, res.status]).toEqual([bad, 422]);
    }
    expect((await putSecret(env, "_LEADING_UNDERSCORE", "v")).status).toBe(201);
    expect((await putSecret(env, "db_password", "v1")).status).toBe(201);
    expect((await putSecret(env, "DB_Password", "v2")).status).toBe(204);
    const list = await json(await api("GET", `${envPath(env)}/secrets`));
    expect(list.secrets.map((s: { name: string }) => s.name)).toEqual(["DB_PASSWORD", "_LEADING_UNDERSCORE"]);
    expect((await json(await api("GET", `${envPath(env)}/secrets/db_password`))).name).toBe("DB_PASSWORD");
    expect(emu.getSecretValue(REPO, env, "Db_Password")).toBe("v2");
  });

  test("a value of 48 KB is accepted, one byte more is refused", async () => {
    const env = freshEnv();
    expect((await putSecret(env, "MAX", "a".repeat(48 * 1024))).status).toBe(201);
    const tooBig = await putSecret(env, "TOO_BIG", "a".repeat(48 * 1024 + 1));
    expect(tooBig.status).toBe(422);
    expect((await json(tooBig)).message).toMatch(/48 KB/);
    // Multi-byte characters count as bytes, not characters.
    expect((await putSecret(env, "WIDE", "é".repeat(24 * 1024 + 1))).status).toBe(422);
  });

  test("an environment holds at most 100 secrets", async () => {
    const env = freshEnv();
    for (let i = 0; i < 100; i++) emu.setSecretOutOfBand(REPO, env, `S${String(i).padStart(3, "0")}`, "v");
    const res = await putSecret(env, "ONE_TOO_MANY", "v");
    expect(res.status).toBe(422);
    expect((await json(res)).message).toMatch(/100/);
    // Changing an existing secret at the limit is still allowed.
    expect((await putSecret(env, "S000", "changed")).status).toBe(204);
    expect(() => emu.setSecretOutOfBand(REPO, env, "ANOTHER", "v")).toThrow(/100/);
  });
});

describe("listing", () => {
  test("pagination with per_page and a GitHub-style Link header", async () => {
    const env = freshEnv();
    for (const name of ["E", "C", "A", "D", "B"]) emu.setSecretOutOfBand(REPO, env, name, "v");

    const first = await api("GET", `${envPath(env)}/secrets?per_page=2`);
    const firstBody = await json(first);
    expect(firstBody.total_count).toBe(5);
    expect(firstBody.secrets.map((s: { name: string }) => s.name)).toEqual(["A", "B"]);
    const base = `${emu.url}${envPath(env)}/secrets`;
    expect(first.headers.get("link")).toBe(
      `<${base}?per_page=2&page=2>; rel="next", <${base}?per_page=2&page=3>; rel="last"`,
    );

    // Follow rel="next" the way Octokit's paginate does.
    const names: string[] = [];
    let next: string | undefined = `${base}?per_page=2`;
    let pages = 0;
    let middleLink = "";
    while (next && pages < 10) {
      const res = await fetch(next, { headers: { authorization: `Bearer ${FULL}` } });
      const body = await json(res);
      names.push(...body.secrets.map((s: { name: string; created_at: string }) => s.name));
      if (pages === 1) middleLink = res.headers.get("link") ?? "";
      next = /<([^<>]+)>;\s*rel="next"/.exec(res.headers.get("link") ?? "")?.[1];
      pages++;
    }
    expect(pages).toBe(3);
    expect(names).toEqual(["A", "B", "C", "D", "E"]);
    expect(middleLink).toBe(
      `<${base}?per_page=2&page=1>; rel="prev", <${base}?per_page=2&page=3>; rel="next", ` +
        `<${base}?per_page=2&page=3>; rel="last", <${base}?per_page=2&page=1>; rel="first"`,
    );

    // Default page size holds all five: no Link header.
    const all = await api("GET", `${envPath(env)}/secrets`);
    expect(all.headers.get("link")).toBeNull();
    expect((await json(all)).secrets).toHaveLength(5);
  });

  test("per_page is capped at 100 and defaults to 30", async () => {
    const env = freshEnv();
    for (let i = 0; i < 100; i++) emu.setSecretOutOfBand(REPO, env, `S${String(i).padStart(3, "0")}`, "v");
    expect((await json(await api("GET", `${envPath(env)}/secrets?per_page=500`))).secrets).toHaveLength(100);
    const byDefault = await api("GET", `${envPath(env)}/secrets`);
    expect((await json(byDefault)).secrets).toHaveLength(30);
    expect(byDefault.headers.get("link")).toContain(`page=4>; rel="last"`);
  });

  test.each(ENV_NAMES)("environment name %j round-trips through percent-encoding", async (env) => {
    const name = `ROUND_TRIP_${ENV_NAMES.indexOf(env)}`;
    expect((await putSecret(env, name, `value for ${env}`)).status).toBe(201);
    expect(emu.getSecretValue(REPO, env, name)).toBe(`value for ${env}`);
    const list = await json(await api("GET", `${envPath(env)}/secrets`));
    expect(list.secrets.map((s: { name: string }) => s.name)).toContain(name);
    expect((await json(await api("GET", envPath(env)))).name).toBe(env);
  });

  test("secret timestamps have second precision and every response has a Date header", async () => {
    const env = freshEnv();
    await putSecret(env, "T", "v");
    const res = await api("GET", `${envPath(env)}/secrets`);
    expect(res.headers.get("date")).toBeTruthy();
    const [secret] = (await json(res)).secrets;
    expect(secret.created_at).toMatch(ISO_SECONDS);
    expect(secret.updated_at).toMatch(ISO_SECONDS);
    expect(emu.listSecrets(REPO, env)).toEqual([
      { name: "T", createdAt: secret.created_at, updatedAt: secret.updated_at },
    ]);
  });
});

describe("auth and not-found", () => {
  test("401 Bad credentials without a token or with a wrong one; token and Bearer both work", async () => {
    for (const token of [null, "wrong-token"]) {
      const res = await api("GET", `/repos/${REPO}`, { token });
      expect(res.status).toBe(401);
      expect((await json(res)).message).toBe("Bad credentials");
    }
    const repo = await json(await api("GET", `/repos/${REPO}`, { scheme: "Bearer" }));
    expect(repo).toMatchObject({ name: "api", full_name: REPO, owner: { login: "acme" } });
    expect(typeof repo.id).toBe("number");
    expect((await api("GET", `/repos/${REPO}`, { scheme: "token" })).status).toBe(200);
  });

  test("a read-only token can read but writes get 403 naming the permission", async () => {
    const env = freshEnv();
    expect((await api("GET", `${envPath(env)}/secrets`, { token: READ_ONLY })).status).toBe(200);
    for (const method of ["PUT", "DELETE"]) {
      const res =
        method === "PUT"
          ? await putSecret(env, "X", "v", READ_ONLY)
          : await api("DELETE", `${envPath(env)}/secrets/X`, { token: READ_ONLY });
      expect(res.status).toBe(403);
      expect(res.headers.get("x-accepted-github-permissions")).toBe("secrets=write");
      expect((await json(res)).message).toBe("Resource not accessible by personal access token");
    }
    expect(emu.listSecrets(REPO, env)).toEqual([]);
  });

  test("unknown repository, environment or route answer 404 Not Found", async () => {
    for (const p of [
      "/repos/acme/nope",
      `${envPath("production", "acme/nope")}/secrets`,
      `${envPath("no-such-env")}/secrets`,
      `${envPath("no-such-env")}/secrets/public-key`,
      `/repos/${REPO}/actions/secrets`,
      "/user",
    ]) {
      const res = await api("GET", p);
      expect([p, res.status]).toEqual([p, 404]);
      expect((await json(res)).message).toBe("Not Found");
    }
    const put = await api("PUT", `${envPath("no-such-env")}/secrets/X`, {
      body: { encrypted_value: "", key_id: "" },
    });
    expect(put.status).toBe(404);
  });

  test("PUT on an environment creates it; removeEnvironment makes it 404", async () => {
    const res = await api("PUT", envPath("created over http"));
    expect(res.status).toBe(200);
    expect((await json(res)).name).toBe("created over http");
    expect((await putSecret("created over http", "S", "v")).status).toBe(201);

    emu.removeEnvironment(REPO, "created over http");
    expect((await api("GET", `${envPath("created over http")}/secrets`)).status).toBe(404);
    expect((await api("GET", `${envPath("created over http")}/secrets/public-key`)).status).toBe(404);
    expect(() => emu.getSecretValue(REPO, "created over http", "S")).toThrow(/Unknown environment/);
  });

  test("environment names are limited to 255 characters, counted as GitHub does (an emoji is one)", async () => {
    const emoji = "🔐".repeat(255); // 510 UTF-16 units
    expect((await api("PUT", envPath(emoji))).status).toBe(200);
    expect((await api("PUT", envPath(`${emoji}x`))).status).toBe(422);
  });
});

describe("faults", () => {
  test("drop destroys the connection without an answer", async () => {
    emu.injectFault({ kind: "drop" });
    await expect(api("GET", `/repos/${REPO}`)).rejects.toThrow();
    expect((await api("GET", `/repos/${REPO}`)).status).toBe(200);
  });

  test("delay slows the answer down, then answers normally", async () => {
    emu.injectFault({ kind: "delay", ms: 250 });
    const started = Date.now();
    const res = await api("GET", `/repos/${REPO}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(res.status).toBe(200);
  });

  test("secondary rate limit: 403 with retry-after and GitHub's message", async () => {
    emu.injectFault({ kind: "secondaryRateLimit", retryAfter: 7 });
    const res = await api("GET", `/repos/${REPO}`);
    expect(res.status).toBe(403);
    expect(res.headers.get("retry-after")).toBe("7");
    expect((await json(res)).message).toMatch(/^You have exceeded a secondary rate limit/);
  });

  test("429 with retry-after", async () => {
    emu.injectFault({ kind: "rateLimit429", retryAfter: 3 });
    const res = await api("GET", `/repos/${REPO}`);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
  });

  test("primary rate limit: 403 with x-ratelimit-remaining 0 and a reset time", async () => {
    emu.injectFault({ kind: "primaryRateLimit", resetAfter: 60 });
    const res = await api("GET", `/repos/${REPO}`);
    expect(res.status).toBe(403);
    expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(res.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000 + 50);
  });

  test("status 503 once, then the next request succeeds; count and order are honoured", async () => {
    emu.injectFault({ kind: "status", status: 503 });
    expect((await api("GET", `/repos/${REPO}`)).status).toBe(503);
    expect((await api("GET", `/repos/${REPO}`)).status).toBe(200);

    emu.injectFault({ kind: "status", status: 500, count: 2 });
    emu.injectFault({ kind: "status", status: 502 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api("GET", `/repos/${REPO}`)).status);
    expect(statuses).toEqual([500, 500, 502, 200]);
    expect(emu.pendingFaults()).toBe(0);
  });

  test("a matched fault only hits its method and route", async () => {
    const env = freshEnv();
    emu.injectFault({ kind: "status", status: 502, match: { method: "PUT", route: ROUTE.secret } });
    expect((await api("GET", `${envPath(env)}/secrets`)).status).toBe(200);
    expect((await publicKey(env)).key_id).toBeTruthy();
    expect((await putSecret(env, "M", "v")).status).toBe(502);
    expect((await putSecret(env, "M", "v")).status).toBe(201);
  });

  test("rotateKey changes the key id; values for the old key id are then refused", async () => {
    const env = freshEnv();
    const old = await publicKey(env);
    const newKeyId = emu.rotateKey(REPO, env);
    const fresh = await publicKey(env);
    expect(fresh.key_id).toBe(newKeyId);
    expect(fresh.key_id).not.toBe(old.key_id);
    expect(fresh.key).not.toBe(old.key);

    const stale = await api("PUT", `${envPath(env)}/secrets/K`, {
      body: { encrypted_value: seal("v", old.key), key_id: old.key_id },
    });
    expect(stale.status).toBe(422);
    expect((await putSecret(env, "K", "v")).status).toBe(201);
  });
});

describe("out-of-band changes and timestamps", () => {
  test("an out-of-band change is always strictly newer, even within the same second", async () => {
    const env = freshEnv();
    await putSecret(env, "DRIFT", "declared");
    const [first] = emu.listSecrets(REPO, env);
    emu.setSecretOutOfBand(REPO, env, "drift", "changed");
    const [second] = emu.listSecrets(REPO, env);
    emu.setSecretOutOfBand(REPO, env, "DRIFT", "changed again");
    const [third] = emu.listSecrets(REPO, env);
    expect(Date.parse(second.updatedAt)).toBeGreaterThan(Date.parse(first.updatedAt));
    expect(Date.parse(third.updatedAt)).toBeGreaterThan(Date.parse(second.updatedAt));
    expect(third.createdAt).toBe(first.createdAt);
    expect(emu.getSecretValue(REPO, env, "DRIFT")).toBe("changed again");
    expect(emu.deleteSecretOutOfBand(REPO, env, "DRIFT")).toBe(true);
    expect((await api("GET", `${envPath(env)}/secrets/DRIFT`)).status).toBe(404);
  });

  test("with an injected clock, HTTP writes stamp the clock's second, also in the Date header", async () => {
    let now = Date.parse("2024-01-02T03:04:05.678Z");
    const fixed = await GithubEmulator.start({ clock: () => now, repositories: { "o/r": ["e"] } });
    try {
      const key = await json<{ key_id: string; key: string }>(
        await fetch(`${fixed.url}/repos/o/r/environments/e/secrets/public-key`, {
          headers: { authorization: `token ${fixed.token}` },
        }),
      );
      const put = (): Promise<Response> =>
        fetch(`${fixed.url}/repos/o/r/environments/e/secrets/S`, {
          method: "PUT",
          headers: { authorization: `token ${fixed.token}`, "content-type": "application/json" },
          body: JSON.stringify({ encrypted_value: seal("v", key.key), key_id: key.key_id }),
        });
      expect((await put()).status).toBe(201);
      expect(fixed.listSecrets("o/r", "e")[0].updatedAt).toBe("2024-01-02T03:04:05Z");
      fixed.setSecretOutOfBand("o/r", "e", "S", "drift");
      expect(fixed.listSecrets("o/r", "e")[0].updatedAt).toBe("2024-01-02T03:04:10Z");
      const restore = await put();
      expect(restore.status).toBe(204);
      expect(new Date(restore.headers.get("date")!).toISOString()).toBe("2024-01-02T03:04:05.000Z");
      expect(fixed.listSecrets("o/r", "e")[0].updatedAt).toBe("2024-01-02T03:04:05Z");
      now += 10_000;
      expect((await put()).status).toBe(204);
      expect(fixed.listSecrets("o/r", "e")[0]).toEqual({
        name: "S",
        createdAt: "2024-01-02T03:04:05Z",
        updatedAt: "2024-01-02T03:04:15Z",
      });
    } finally {
      await fixed.stop();
    }
  });

  test("a write's Date header is never earlier than the updated_at it stamped, even across a second", async () => {
    // Every clock read moves time on by 0.4 s, so request start and store write fall in different
    // seconds: a Date taken before the write would look older than the write itself.
    let now = Date.parse("2024-01-02T03:04:05.000Z");
    const ticking = await GithubEmulator.start({ clock: () => (now += 400), repositories: { "o/r": ["e"] } });
    try {
      const auth = { authorization: `token ${ticking.token}` };
      const base = `${ticking.url}/repos/o/r/environments/e/secrets`;
      const key = await json<{ key_id: string; key: string }>(
        await fetch(`${base}/public-key`, { headers: auth }),
      );
      for (let i = 0; i < 5; i++) {
        const put = await fetch(`${base}/S`, {
          method: "PUT",
          headers: { ...auth, "content-type": "application/json" },
          body: JSON.stringify({ encrypted_value: seal(`v${i}`, key.key), key_id: key.key_id }),
        });
        expect(put.status).toBe(i === 0 ? 201 : 204);
        const stamped = Date.parse(ticking.listSecrets("o/r", "e")[0].updatedAt);
        expect(Date.parse(put.headers.get("date")!)).toBeGreaterThanOrEqual(stamped);
      }
    } finally {
      await ticking.stop();
    }
  });
});

describe("request counts", () => {
  test("counted per method and route template, faulted requests included, unknown routes not", async () => {
    const env = freshEnv();
    emu.resetRequestCounts();
    await putSecret(env, "A", "v");
    await putSecret(env, "B", "v");
    await api("GET", `${envPath(env)}/secrets`);
    emu.injectFault({ kind: "status", status: 500 });
    await api("GET", `${envPath(env)}/secrets`);
    await api("GET", `${envPath("prod/us-east")}/secrets/A`);
    await api("GET", "/nowhere");
    expect(emu.requestCounts()).toEqual({
      "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key": 2,
      "PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}": 2,
      "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets": 2,
      "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}": 1,
    });
    const copy = emu.requestCounts();
    copy.x = 1;
    expect(emu.requestCounts().x).toBeUndefined();
    emu.resetRequestCounts();
    expect(emu.requestCounts()).toEqual({});
  });
});

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("lifecycle and CLI", () => {
  test("stop closes keep-alive connections promptly", async () => {
    const other = await GithubEmulator.start();
    const res = await fetch(`${other.url}/repos/x/y`, { headers: { authorization: `token ${other.token}` } });
    expect(res.status).toBe(404);
    await res.text();
    const started = Date.now();
    await other.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(fetch(`${other.url}/repos/x/y`)).rejects.toThrow();
  });

  test("CLI arguments: envs attach to the last --repo", () => {
    expect(
      parseCliArgs([
        "--port",
        "8080",
        "--token",
        "a",
        "--token=b",
        "--repo",
        "o/r",
        "--env",
        "prod/us",
        "--env",
        "dev",
        "--repo",
        "o/s",
      ]),
    ).toEqual({
      help: false,
      port: 8080,
      tokens: ["a", "b"],
      repositories: { "o/r": ["prod/us", "dev"], "o/s": [] },
    });
    expect(() => parseCliArgs(["--env", "x"])).toThrow(/--repo/);
    expect(() => parseCliArgs(["--port", "abc"])).toThrow(/--port/);
    expect(() => parseCliArgs(["--bogus"])).toThrow(/Unknown option '--bogus'/);
    expect(() => parseCliArgs(["--port"])).toThrow(/Option '--port <value>' argument missing/);
    expect(() => parseCliArgs(["--repo", "o/r", "stray"])).toThrow(/Unexpected argument 'stray'/);
    expect(() => parseCliArgs(["--repo", "o/r", "--env="])).toThrow(/--env must not be empty/);
    expect(parseCliArgs(["-h"])).toMatchObject({ help: true });
  });

  test("the installed CLI (package.json bin, built by npm test) serves on --port until SIGTERM", async () => {
    const { bin } = require("../package.json") as { bin: Record<string, string> };
    const cli = path.join(__dirname, "..", bin["cdktf-github-secrets-emulator"]);
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [cli, "--port", String(port), "--repo", "o/r", "--env", "prod/us-east"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const exited = once(child, "exit");
    try {
      let out = "";
      child.stdout.setEncoding("utf8");
      const vars = await new Promise<Record<string, string>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`CLI did not start: ${out}`)), 10_000);
        child.stdout.on("data", (chunk: string) => {
          out += chunk;
          const url = /^GITHUB_API_URL=(\S+)$/m.exec(out);
          const token = /^GITHUB_TOKEN=(\S+)$/m.exec(out);
          if (url && token) {
            clearTimeout(timer);
            resolve({ url: url[1], token: token[1] });
          }
        });
      });
      expect(vars.url).toBe(`http://127.0.0.1:${port}`);
      const res = await fetch(`${vars.url}/repos/o/r/environments/prod%2Fus-east/secrets`, {
        headers: { authorization: `token ${vars.token}` },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ total_count: 0, secrets: [] });
      child.kill("SIGTERM");
      const [code] = await exited;
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  });
});

describe("snapshots", () => {
  test("a snapshot restores repositories, keys, secrets and timestamps in a new emulator", async () => {
    const first = await GithubEmulator.start({ repositories: { "acme/api": ["prod/eu"] } });
    const key = first.getPublicKey("acme/api", "prod/eu");
    first.setSecretOutOfBand("acme/api", "prod/eu", "DB_PASSWORD", "kept");
    const listed = first.listSecrets("acme/api", "prod/eu");
    const snapshot = JSON.parse(JSON.stringify(first.snapshot()));
    await first.stop();
    expect(JSON.stringify(snapshot)).not.toContain("kept");

    const second = await GithubEmulator.start({ snapshot });
    try {
      expect(second.getPublicKey("acme/api", "prod/eu")).toEqual(key);
      expect(second.getSecretValue("acme/api", "prod/eu", "db_password")).toBe("kept");
      expect(second.listSecrets("acme/api", "prod/eu")).toEqual(listed);
    } finally {
      await second.stop();
    }
  });
});

describe("latency", () => {
  test("latencyMs delays every API request by that much, concurrently, and is refused when negative", async () => {
    const slow = await GithubEmulator.start({ repositories: { [REPO]: ["production"] }, latencyMs: 1000 });
    try {
      const get = () =>
        fetch(`${slow.url}/repos/${REPO}/environments/production/secrets`, {
          headers: { authorization: `Bearer ${slow.token}` },
        });
      const started = Date.now();
      const answers = await Promise.all([get(), get(), get()]);
      const elapsed = Date.now() - started;
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(elapsed).toBeGreaterThanOrEqual(1000);
      expect(elapsed).toBeLessThan(2500); // in parallel, not one after another (3 s)
    } finally {
      await slow.stop();
    }
    await expect(GithubEmulator.start({ latencyMs: -1 })).rejects.toThrow(/latencyMs must be .* 0 or more/);
  });
});
