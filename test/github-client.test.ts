import {
  BadCredentialsError,
  EnvironmentNotFoundError,
  EnvironmentSecretsClient,
  GithubSecretsError,
  GithubUnavailableError,
  MissingCredentialsError,
  MissingPermissionError,
  RepositoryNotFoundError,
  ValidationFailedError,
} from "../src/github";
import { translateError } from "../src/github/translate-error";
import { GithubEmulator } from "../src/testing";
import { generateKeyPairSync } from "node:crypto";
import { lifecycleFor, startFixture } from "./helpers/lifecycle-fixture";

const PUT_ROUTE = "/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";
const PUT = `PUT ${PUT_ROUTE}`;
const at = (environment = "production", secretName = "DB_PASSWORD") => ({
  repository: "acme/api",
  environment,
  secretName,
});
const value = { kind: "plaintext" as const, value: "v" };

let fixture: Awaited<ReturnType<typeof startFixture>>;
beforeEach(async () => {
  fixture = await startFixture();
});
afterEach(() => fixture.emulator.stop());

describe("GitHub App credentials", () => {
  const APP_TOKEN = "POST /app/installations/{installation_id}/access_tokens";
  const rsaKeyPair = () =>
    generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });

  test("the client mints one installation token from a signed JWT and works with it", async () => {
    const { emulator } = fixture;
    const app = rsaKeyPair();
    emulator.addApp("4711", { publicKey: app.publicKey, installations: { "99": {} } });
    const credentials = {
      kind: "app" as const,
      appId: "4711",
      installationId: "99",
      privateKey: app.privateKey,
    };
    const { lifecycle } = lifecycleFor(emulator, { credentials });
    await lifecycle.create(at(), value);
    await lifecycle.create(at("staging env"), value);
    expect(emulator.getSecretValue("acme/api", "staging env", "DB_PASSWORD")).toBe(value.value);
    expect(emulator.requestCounts()[APP_TOKEN]).toBe(1);
  });

  test("a JWT signed with another key, or an unknown installation, is refused without the key in the error", async () => {
    const { emulator } = fixture;
    const app = rsaKeyPair();
    const impostor = rsaKeyPair();
    emulator.addApp("4711", { publicKey: app.publicKey, installations: { "99": {} } });
    for (const [privateKey, installationId] of [
      [impostor.privateKey, "99"],
      [app.privateKey, "100"],
    ] as const) {
      const { lifecycle } = lifecycleFor(emulator, {
        credentials: { kind: "app", appId: "4711", installationId, privateKey },
      });
      const error = (await lifecycle.create(at(), value).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(BadCredentialsError);
      expect(error.message).toMatch(
        /GitHub App authentication failed: check the App id, the installation id/,
      );
      expect(error.message).toMatch(/acme\/api/);
      const everything = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
      expect(everything).not.toContain(privateKey.split("\n")[1]);
    }
    expect(emulator.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBeUndefined();
  });
});

describe("waits and retries", () => {
  test("a 403 secondary rate limit is waited out for its retry-after", async () => {
    const { emulator, lifecycle, logger } = fixture;
    emulator.injectFault({ kind: "secondaryRateLimit", retryAfter: 1, match: { method: "PUT" } });
    const started = Date.now();
    await lifecycle.create(at(), value);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(emulator.requestCounts()[PUT]).toBe(2);
    expect(emulator.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBe("v");
    expect(logger.lines.join("\n")).toMatch(/secondary rate limit: waiting 1s/);
  });

  test("a 429 is waited out for its retry-after", async () => {
    const { emulator, lifecycle } = fixture;
    emulator.injectFault({ kind: "rateLimit429", retryAfter: 1, match: { method: "PUT" } });
    const started = Date.now();
    await lifecycle.create(at(), value);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(emulator.requestCounts()[PUT]).toBe(2);
  });

  test("a primary rate limit is waited out until x-ratelimit-reset", async () => {
    const { emulator, lifecycle } = fixture;
    emulator.injectFault({ kind: "primaryRateLimit", resetAfter: 1, match: { method: "PUT" } });
    await lifecycle.create(at(), value);
    expect(emulator.requestCounts()[PUT]).toBe(2);
  });

  test("waits are bounded: a rate limit that does not clear fails with a typed error", async () => {
    const { emulator } = fixture;
    const { lifecycle } = lifecycleFor(emulator, { retry: { maxRateLimitWaits: 1, rateLimitUnitMs: 10 } });
    emulator.injectFault({ kind: "secondaryRateLimit", retryAfter: 1, count: 5, match: { method: "PUT" } });
    await expect(lifecycle.create(at(), value)).rejects.toThrow(GithubUnavailableError);
    expect(emulator.requestCounts()[PUT]).toBe(2);
  });

  test("a rate limit that asks for a longer wait than allowed fails at once, without waiting", async () => {
    const { emulator, lifecycle } = fixture;
    emulator.injectFault({ kind: "secondaryRateLimit", retryAfter: 3600, match: { method: "PUT" } });
    const started = Date.now();
    const error = await lifecycle.create(at(), value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GithubUnavailableError);
    expect((error as Error).message).toMatch(/rate limit asks to wait 3600 s, longer than the 900 s allowed/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(emulator.requestCounts()[PUT]).toBe(1);
  });

  test.each([500, 502, 503])("%d is retried with back-off", async (status) => {
    const { emulator, lifecycle } = fixture;
    emulator.injectFault({ kind: "status", status, count: 2, match: { method: "PUT" } });
    await lifecycle.create(at(), value);
    expect(emulator.requestCounts()[PUT]).toBe(3);
  });

  test("a dropped connection is retried", async () => {
    const { emulator, lifecycle } = fixture;
    emulator.injectFault({ kind: "drop", match: { method: "PUT" } });
    await lifecycle.create(at(), value);
    expect(emulator.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBe("v");
  });

  test("retries are bounded", async () => {
    const { emulator, lifecycle } = fixture;
    emulator.injectFault({ kind: "status", status: 503, count: 10, match: { method: "PUT" } });
    const error = await lifecycle.create(at(), value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GithubUnavailableError);
    expect((error as Error).message).toMatch(
      /503 after all retries \(repository acme\/api, environment "production", secret DB_PASSWORD\)/,
    );
    expect(emulator.requestCounts()[PUT]).toBe(4);
  });

  test("writes are paced by writeDelayMs", async () => {
    const { emulator } = fixture;
    const paced = lifecycleFor(emulator, { writeDelayMs: 300 }).lifecycle;
    const started = Date.now();
    await Promise.all([1, 2, 3].map((i) => paced.create(at("production", `S${i}`), value)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
  });

  test("with pacing off (writeDelayMs 0), writes overlap instead of queueing one round trip each", async () => {
    const slow = await GithubEmulator.start({
      repositories: { "acme/api": ["production"] },
      // Long enough that six round trips one after another clearly exceed one overlapped round
      // trip even on a loaded machine; short enough not to dominate the file (1000 ms took 9 s).
      latencyMs: 300,
    });
    try {
      const unpaced = lifecycleFor(slow, { writeDelayMs: 0 }).lifecycle;
      await unpaced.create(at("production", "WARM"), value); // the key is cached from here on
      // Compared with the same writes one after another on this machine now: a fixed bound in ms
      // failed at a load average of 30 on 2 cores (1.2 s overlapped), before and after any change.
      let started = Date.now();
      for (const i of [1, 2, 3, 4, 5, 6]) await unpaced.create(at("production", `Q${i}`), value);
      const oneByOne = Date.now() - started;
      started = Date.now();
      await Promise.all([1, 2, 3, 4, 5, 6].map((i) => unpaced.create(at("production", `S${i}`), value)));
      // One after another: 6 x 300 ms at least. Overlapping: about one round trip.
      expect(oneByOne).toBeGreaterThanOrEqual(1800);
      expect(Date.now() - started).toBeLessThan(oneByOne / 2);
      expect(slow.listSecrets("acme/api", "production")).toHaveLength(13);
    } finally {
      await slow.stop();
    }
  });
});

describe("typed errors name repository, environment and secret", () => {
  test("401 bad credentials", async () => {
    const { emulator } = fixture;
    const error = await lifecycleFor(emulator, { token: "wrong" })
      .lifecycle.create(at(), value)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadCredentialsError);
    expect((error as GithubSecretsError).status).toBe(401);
    expect((error as Error).message).toMatch(/repository acme\/api, environment "production"/);
  });

  test("403 names what to grant: classic scopes when GitHub lists them, else both kinds of credential", () => {
    const subject = { repository: "acme/api", environment: "production", secretName: "X" };
    const forbidden = (headers: Record<string, string>) =>
      translateError(
        { status: 403, response: { headers, data: { message: "Resource not accessible" } } },
        subject,
      );
    expect(forbidden({ "x-accepted-oauth-scopes": "repo" }).message).toMatch(/grant the scopes "repo"/);
    const guessed = forbidden({});
    expect(guessed).toBeInstanceOf(MissingPermissionError);
    expect(guessed.message).toMatch(
      /"Secrets: read and write" and "Environments: read"[\s\S]*the "repo" scope/,
    );
    expect(guessed.message).toMatch(/repository acme\/api, environment "production", secret X/);
  });

  test("403 missing permission says what to grant", async () => {
    const { emulator } = fixture;
    emulator.addToken("read-only-token", { access: "read" });
    const error = await lifecycleFor(emulator, { token: "read-only-token" })
      .lifecycle.create(at(), value)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingPermissionError);
    expect((error as MissingPermissionError).grant).toMatch(/secrets=write/);
    expect((error as Error).message).toMatch(/grant the permissions "secrets=write"/);
    expect((error as Error).message).toMatch(/secret DB_PASSWORD/);
  });

  test("404 for a missing environment and for a missing repository", async () => {
    const { lifecycle } = fixture;
    await expect(lifecycle.create(at("nope"), value)).rejects.toThrow(EnvironmentNotFoundError);
    await expect(lifecycle.create({ ...at(), repository: "acme/missing" }, value)).rejects.toThrow(
      RepositoryNotFoundError,
    );
    await expect(lifecycle.read({ ...at(), repository: "acme/missing" })).rejects.toThrow(
      /does not exist or the credential cannot see it/,
    );
  });

  test("a removed environment reads as gone", async () => {
    const { emulator, lifecycle } = fixture;
    await lifecycle.create(at(), value);
    emulator.removeEnvironment("acme/api", "production");
    const fresh = lifecycleFor(emulator).lifecycle;
    expect(await fresh.read(at())).toEqual({ status: "gone" });
  });

  test("delete: gone with its environment is done, but a repository the token cannot see is an error", async () => {
    const { emulator, lifecycle } = fixture;
    await lifecycle.create(at(), value);
    emulator.addToken("other-repos-token", { repositories: ["acme/other"] });
    const blind = lifecycleFor(emulator, { token: "other-repos-token" }).lifecycle;
    await expect(blind.delete(at())).rejects.toThrow(RepositoryNotFoundError);
    expect(emulator.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBe(value.value);
    emulator.removeEnvironment("acme/api", "production");
    expect(await lifecycle.delete(at())).toEqual({ status: "alreadyGone" });
  });

  test("422 validation failure", async () => {
    const { emulator, lifecycle } = fixture;
    const key = emulator.getPublicKey("acme/api", "production");
    const error = await lifecycle
      .create(at(), {
        kind: "sealed",
        encryptedValue: Buffer.from("not a sealed box").toString("base64"),
        keyId: key.keyId,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect((error as Error).message).toMatch(
      /GitHub rejected the request \(repository acme\/api, environment "production", secret DB_PASSWORD\)/,
    );
  });

  test("no credentials at all", () => {
    const client = new EnvironmentSecretsClient({ baseUrl: "http://127.0.0.1:9" });
    const saved = { a: process.env.GITHUB_TOKEN, b: process.env.GH_TOKEN };
    delete process.env.GITHUB_TOKEN;
    delete process.env.GH_TOKEN;
    try {
      expect(() => client.assertCredentials()).toThrow(MissingCredentialsError);
      expect(() => client.assertCredentials()).toThrow(/set GITHUB_TOKEN \(or GH_TOKEN\)/);
    } finally {
      if (saved.a !== undefined) process.env.GITHUB_TOKEN = saved.a;
      if (saved.b !== undefined) process.env.GH_TOKEN = saved.b;
    }
  });
});

test("no error path leaks the plaintext or the token", async () => {
  const PLAINTEXT = "PLAINTEXT-canary-7f3a9c";
  const TOKEN = "ghp_TOKENcanary0123456789abcdef";
  const { emulator, logger } = fixture;
  emulator.addToken(TOKEN, {});
  emulator.addToken("ghp_READONLYcanary", { access: "read" });
  const make = (token: string) =>
    lifecycleFor(emulator, {
      token,
      logger,
      retry: { retryBaseMs: 5, rateLimitUnitMs: 5, maxRateLimitWaits: 1 },
    }).lifecycle;
  const good = make(TOKEN);
  const secret = { kind: "plaintext" as const, value: PLAINTEXT };
  const failures: unknown[] = [];
  const attempt = (p: Promise<unknown>) =>
    p.then(
      () => failures.push(new Error("expected a failure")),
      (e: unknown) => failures.push(e),
    );

  await attempt(make("ghp_WRONGcanary").create(at(), secret)); // 401
  await attempt(make("ghp_READONLYcanary").create(at(), secret)); // 403
  await attempt(good.create(at("missing-env"), secret)); // 404 environment
  await attempt(good.create({ ...at(), repository: "acme/missing" }, secret)); // 404 repository
  await attempt(good.create(at("production", "1BAD"), secret)); // local validation
  await attempt(good.create(at(), { kind: "plaintext", value: PLAINTEXT.repeat(3000) })); // too large
  emulator.injectFault({ kind: "status", status: 503, count: 10 });
  await attempt(good.create(at(), secret)); // 5xx exhausted
  emulator.clearFaults();
  emulator.injectFault({ kind: "drop", count: 10 });
  await attempt(good.create(at(), secret)); // dropped connections exhausted
  emulator.clearFaults();
  emulator.injectFault({ kind: "secondaryRateLimit", retryAfter: 1, count: 10 });
  await attempt(good.create(at(), secret)); // rate limit exhausted
  emulator.clearFaults();
  emulator.injectFault({ kind: "rateLimit429", retryAfter: 1, count: 10 });
  await attempt(good.delete(at())); // 429 exhausted
  emulator.clearFaults();
  const key = emulator.getPublicKey("acme/api", "production");
  await attempt(
    good.create(at(), {
      kind: "sealed",
      encryptedValue: Buffer.from(PLAINTEXT).toString("base64"),
      keyId: key.keyId,
    }),
  ); // 422

  expect(failures).toHaveLength(11);
  for (const failure of failures) {
    expect(failure).toBeInstanceOf(Error);
    const dump = [
      String(failure),
      (failure as Error).stack,
      JSON.stringify(failure),
      JSON.stringify(Object.entries(failure as object)),
    ].join("\n");
    expect(dump).not.toContain(PLAINTEXT);
    expect(dump).not.toContain(TOKEN);
    expect(dump).not.toContain("canary");
    expect(dump).not.toContain(Buffer.from(PLAINTEXT).toString("base64"));
  }
  const log = logger.lines.join("\n");
  expect(log).not.toContain(PLAINTEXT);
  expect(log).not.toContain("canary");
});

describe("timeouts and cancellation", () => {
  test("an answer that never comes times out per attempt and is retried", async () => {
    const { emulator } = fixture;
    const { lifecycle } = lifecycleFor(emulator, { retry: { requestTimeoutMs: 200 } });
    emulator.injectFault({ kind: "delay", ms: 5_000, match: { method: "PUT" } });
    const started = Date.now();
    await lifecycle.create(at(), value);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(emulator.requestCounts()[PUT]).toBe(2);
    expect(emulator.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBe("v");
  });

  test("an aborted signal cancels the call with a clear error", async () => {
    const { emulator, lifecycle } = fixture;
    emulator.injectFault({ kind: "delay", ms: 5_000, match: { method: "PUT" } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await lifecycle.create(at(), value, { signal: controller.signal }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/cancelled \(Terraform is stopping\) \(repository acme\/api/);
  });
});

describe("per-process caches", () => {
  test("a write through one letter case of the environment refreshes the listing of every case", async () => {
    // GitHub compares environment names without letter case, so "Production" and "production"
    // are one environment: a write under one spelling must not leave the other's listing stale.
    const { client, lifecycle } = fixture;
    expect(await client.listSecrets({ repository: "acme/api", environment: "production" })).toEqual(
      new Map(),
    );
    await lifecycle.create(at("Production"), value);
    const listing = await client.listSecrets({ repository: "acme/api", environment: "production" });
    expect([...(listing?.keys() ?? [])]).toEqual(["DB_PASSWORD"]);
  });
});

test("the GitHub layer's messages use GitHub's terms, never the provider's attribute names", () => {
  // The client serves the provider and the lifecycle alike; only the provider knows its attributes.
  const subject = { repository: "acme/api", environment: "production" };
  const appFailure = { status: 401, request: { url: "https://x/app/installations/1/access_tokens" } };
  const messages = [
    translateError(appFailure, subject).message,
    translateError({ status: 401 }, subject).message,
    new MissingCredentialsError().message,
  ];
  for (const message of messages) {
    expect(message).not.toMatch(/app_id|installation_id|private_key|provider's token/);
  }
  expect(messages[0]).toMatch(/App id/);
  expect(messages[2]).toMatch(/GITHUB_TOKEN/);
});
