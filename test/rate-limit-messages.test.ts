/** Issue 7, item 7: rate-limit and key messages that say what happened and what to do. */
import { sealSecret } from "../src/crypto";
import { GithubUnavailableError } from "../src/github";
import { lifecycleFor, startFixture } from "./helpers/lifecycle-fixture";

const PUT = "PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";
const address = { repository: "acme/api", environment: "production", secretName: "DB_PASSWORD" };
const value = { kind: "plaintext" as const, value: "v" };

let fixture: Awaited<ReturnType<typeof startFixture>>;
beforeEach(async () => {
  fixture = await startFixture();
});
afterEach(() => fixture.emulator.stop());

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

test("a secondary limit asking for a longer wait than allowed says how long GitHub asked and how to raise the bound", async () => {
  const { emulator, lifecycle } = fixture;
  emulator.injectFault({ kind: "secondaryRateLimit", retryAfter: 3600, match: { method: "PUT" } });
  const error = await failureOf(lifecycle.create(address, value));
  expect(error).toBeInstanceOf(GithubUnavailableError);
  expect(error!.message).toMatch(
    /GitHub's rate limit asks to wait 3600 s, longer than the 900 s allowed: run again after that, or raise the provider's max_rate_limit_wait_seconds to at least 3600/,
  );
  expect(emulator.requestCounts()[PUT]).toBe(1);
});

test("a primary limit that resets too late says when, from x-ratelimit-reset", async () => {
  const { emulator } = fixture;
  const { lifecycle } = lifecycleFor(emulator, { retry: { maxRateLimitWaitSeconds: 60 } });
  emulator.injectFault({ kind: "primaryRateLimit", resetAfter: 1800, match: { method: "PUT" } });
  const error = await failureOf(lifecycle.create(address, value));
  expect(error!.message).toMatch(/rate limit asks to wait 1[78]\d\d s, longer than the 60 s allowed/);
});

test("a limit that keeps coming back within the allowed wait says the waits ran out", async () => {
  const { emulator } = fixture;
  const { lifecycle } = lifecycleFor(emulator, { retry: { maxRateLimitWaits: 1, rateLimitUnitMs: 10 } });
  emulator.injectFault({ kind: "secondaryRateLimit", retryAfter: 1, count: 5, match: { method: "PUT" } });
  const error = await failureOf(lifecycle.create(address, value));
  expect(error!.message).toMatch(/GitHub's rate limit did not clear after 1 wait: run again later/);
});

test('a 429 without retry-after does not print GitHub said "Error"', async () => {
  const { emulator, lifecycle } = fixture;
  emulator.injectFault({ kind: "status", status: 429, match: { method: "PUT" } });
  const error = await failureOf(lifecycle.create(address, value));
  expect(error).toBeInstanceOf(GithubUnavailableError);
  expect(error!.message).toMatch(
    /GitHub answered 429 \(too many requests\) without saying how long to wait: run again in a minute/,
  );
  expect(error!.message).not.toMatch(/GitHub said/);
});

test("a value sealed for a key since rotated says to seal it again, with the current key", async () => {
  const { emulator, lifecycle } = fixture;
  const old = emulator.getPublicKey("acme/api", "production");
  const encryptedValue = await sealSecret("pre-sealed", old.key);
  const current = emulator.rotateKey("acme/api", "production");
  const error = await failureOf(
    lifecycle.create(address, { kind: "sealed", encryptedValue, keyId: old.keyId }),
  );
  expect(error!.message).toMatch(
    new RegExp(
      `the environment's key was rotated: seal the value again with key ${current} \\(public key [A-Za-z0-9+/]+=*\\); it was sealed for key ${old.keyId}`,
    ),
  );
  expect(error!.message).toMatch(/repository acme\/api, environment "production", secret DB_PASSWORD/);
  expect(emulator.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBeUndefined();
});
