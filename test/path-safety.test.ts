/**
 * Issue 7, item 1: no name can change the shape of a request's path. The emulator records each
 * path as it arrived and routes dot segments the way GitHub's front end would, so an escape shows.
 */
import { EnvironmentSecretsClient, GithubSecretsError } from "../src/github";
import { UnsafePathSegmentError } from "../src/github/paths";
import { sealSecret } from "../src/crypto";
import { EnvironmentSecretLifecycle, InvalidSecretError } from "../src/lifecycle";
import { GithubEmulator } from "../src/testing";
import { request } from "node:http";

const REPO = "acme/api";
let emulator: GithubEmulator;
let client: EnvironmentSecretsClient;

beforeEach(async () => {
  emulator = await GithubEmulator.start({ repositories: { [REPO]: ["production"] } });
  client = new EnvironmentSecretsClient({
    credentials: { kind: "token", token: emulator.token },
    baseUrl: emulator.url,
    writeDelayMs: 0,
    retry: { retryBaseMs: 10, maxRetries: 0 },
  });
});
afterEach(() => emulator.stop());

const decodedSegments = (path: string) => path.split("/").slice(1).map(decodeURIComponent);

describe("names that URL parsers would resolve are never sent", () => {
  test.each([".", ".."])("environment %j: every call is refused before any request", async (environment) => {
    const ref = { repository: REPO, environment, secretName: "DB_PASSWORD" };
    const calls: Array<() => Promise<unknown>> = [
      () => client.getPublicKey(ref),
      () => client.listSecrets(ref),
      () => client.getSecret(ref),
      () => client.putSecret(ref, { encryptedValue: "AAAA", keyId: "1" }),
      () => client.deleteSecret(ref),
    ];
    for (const call of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsafePathSegmentError);
      expect(error).toBeInstanceOf(GithubSecretsError);
      expect((error as Error).message).toMatch(/would address another resource; nothing was sent/);
      expect((error as Error).message).toContain(`repository ${REPO}`);
    }
    expect(emulator.receivedRequests()).toEqual([]);
  });
});

describe("every other name stays one path segment, as the emulator received it", () => {
  test.each([
    "%2e%2e",
    "%2E",
    "a/../b",
    "?",
    "#",
    "a?b#c",
    "%2F",
    "100%",
    "{environment_name}",
    ":owner",
    "...",
  ])(
    "environment %j: public key, put, get, list and delete all address that environment",
    async (environment) => {
      emulator.addEnvironment(REPO, environment);
      const ref = { repository: REPO, environment, secretName: "DB_PASSWORD" };
      const key = await client.getPublicKey(ref);
      const encryptedValue = await sealSecret("inside", key.key);
      await client.putSecret(ref, { encryptedValue, keyId: key.keyId });
      expect(await client.getSecret(ref)).toMatchObject({ name: "DB_PASSWORD" });
      expect([...(await client.listSecrets(ref))!.keys()]).toEqual(["DB_PASSWORD"]);
      expect(emulator.getSecretValue(REPO, environment, "DB_PASSWORD")).toBe("inside");
      expect(await client.deleteSecret(ref)).toBe(true);
      expect(emulator.listSecrets(REPO, environment)).toEqual([]);

      const received = emulator.receivedRequests();
      expect(received.map((r) => r.method)).toEqual(["GET", "PUT", "GET", "GET", "DELETE"]);
      for (const { path } of received) {
        const segments = decodedSegments(path);
        expect(segments.slice(0, 6)).toEqual([
          "repos",
          "acme",
          "api",
          "environments",
          environment,
          "secrets",
        ]);
        expect(segments.length).toBeLessThanOrEqual(7);
        // What fetch sent is what a URL parser keeps: no segment left for anyone to resolve.
        expect(new URL(`http://x${path}`).pathname).toBe(path);
      }
    },
  );
});

/** A GET with the path exactly as given: fetch would resolve the dot segments itself. */
function rawGet(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: emulator.port, path, headers: { authorization: `token ${emulator.token}` } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

test.each(["..", "%2E%2E", ".%2e"])(
  "the emulator routes a raw %s segment as GitHub's front end would, never to an environment named '..'",
  async (dots) => {
    emulator.addEnvironment(REPO, "..");
    const path = `/repos/acme/api/environments/${dots}/secrets/public-key`;
    expect(await rawGet(path)).toBe(404);
    expect(emulator.receivedRequests()).toEqual([{ method: "GET", path }]);
    expect(emulator.requestCounts()).toEqual({});
    expect(await rawGet("/repos/acme/api/environments/production/secrets/public-key")).toBe(200);
  },
);

describe("the lifecycle refuses what the rules refuse, before any request", () => {
  test.each(["..", ".", "%2e%2e", "prod\u001b[2K", "prod\n", "prod\u009b"])(
    "environment %j",
    async (environment) => {
      const lifecycle = new EnvironmentSecretLifecycle(client);
      const address = { repository: REPO, environment, secretName: "DB_PASSWORD" };
      const value = { kind: "plaintext" as const, value: "v" };
      for (const call of [
        () => lifecycle.create(address, value),
        () => lifecycle.read(address),
        () => lifecycle.delete(address),
      ]) {
        const error = (await call().catch((e: unknown) => e)) as Error;
        expect(error).toBeInstanceOf(InvalidSecretError);
        expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      }
      expect(emulator.receivedRequests()).toEqual([]);
    },
  );
});
