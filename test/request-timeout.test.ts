/**
 * Issue 7, item 3 (every request bounded by a timer the client owns) and the transport half of
 * item 6 (a failure to reach GitHub is not "GitHub answered 500").
 */
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { EnvironmentSecretsClient, GithubUnavailableError } from "../src/github";
import { GithubEmulator } from "../src/testing";

const REPO_ROOT = join(__dirname, "..");
const FIXTURE = join(__dirname, "fixtures", "stalled-request.ts");

interface Outcome {
  ok?: boolean;
  error?: string;
  ms?: number;
  requests?: number;
  hung?: boolean;
}

/** Runs the fixture in a node with --expose-gc, where it forces garbage collection every 100 ms. */
function underForcedGc(scenario: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--expose-gc", "--import", "tsx", FIXTURE, scenario],
      { cwd: REPO_ROOT, timeout: 40_000 },
      (error, stdout, stderr) => {
        const line = stdout.trim().split("\n").pop() ?? "";
        try {
          resolve(JSON.parse(line) as Outcome);
        } catch {
          reject(
            new Error(`fixture gave no result (${error?.message ?? "no error"}):\n${stdout}\n${stderr}`),
          );
        }
      },
    );
  });
}

describe("under forced garbage collection, with a caller signal", () => {
  test("a stalled answer is abandoned after the timeout and the request retried", async () => {
    const outcome = await underForcedGc("stalls-once");
    expect(outcome).toMatchObject({ ok: true, requests: 2 });
    expect(outcome.ms).toBeGreaterThanOrEqual(500);
    expect(outcome.ms).toBeLessThan(20_000);
  }, 60_000);

  test("a server that never answers fails by itself within retries × timeout, naming the timeout", async () => {
    const outcome = await underForcedGc("never-answers");
    expect(outcome.ok).toBe(false);
    // 3 attempts of 0.5 s and two short back-offs; the rest is start-up under constant GC. Bounds
    // for a busy machine (load 30 on 2 cores): far below the 60 s stall a lost timer would give,
    // and an attempt whose 0.5 s ran out while still connecting never reaches the emulator's count.
    expect(outcome.ms).toBeLessThan(20_000);
    expect(outcome.requests).toBeGreaterThanOrEqual(1);
    expect(outcome.requests).toBeLessThanOrEqual(3);
    expect(outcome.error).toMatch(/did not answer within 0\.5 s on any of 3 attempts/);
    expect(outcome.error).toMatch(/request_timeout_ms/);
    expect(outcome.error).not.toMatch(/GitHub answered 500/);
  }, 60_000);
});

describe("what failed, and against which URL", () => {
  const ref = { repository: "acme/api", environment: "production" };
  const clientFor = (baseUrl: string, requestTimeoutMs = 5_000) =>
    new EnvironmentSecretsClient({
      credentials: { kind: "token", token: "t" },
      baseUrl,
      retry: { maxRetries: 1, retryBaseMs: 10, requestTimeoutMs },
    });

  test("a refused connection names the URL and the cause, not a 500", async () => {
    // A port that was just free: nothing listens there.
    const server: Server = createServer();
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((done) => server.close(() => done()));
    const error = (await clientFor(`http://127.0.0.1:${port}`)
      .getPublicKey(ref)
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(GithubUnavailableError);
    expect(error.message).toMatch(new RegExp(`could not reach http://127\\.0\\.0\\.1:${port}`));
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).toMatch(/check base_url \(or GITHUB_API_URL\)/);
    expect(error.message).not.toMatch(/answered 500/);
  });

  test("a host that does not resolve names the URL and the DNS failure", async () => {
    const error = (await clientFor("https://no-such-host.invalid/api/v3")
      .getPublicKey(ref)
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/could not reach https:\/\/no-such-host\.invalid\/api\/v3/);
    expect(error.message).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(error.message).not.toMatch(/answered 500/);
  });

  test("a base URL that is not a URL is refused when the client is made, before any request", () => {
    expect(() => clientFor("api.github.com")).toThrow(/base URL "api.github.com" is not an http\(s\) URL/);
    expect(() => clientFor("ftp://example.com")).toThrow(/is not an http\(s\) URL/);
  });

  test("a real 500 still says GitHub answered 500", async () => {
    const emulator = await GithubEmulator.start({ repositories: { "acme/api": ["production"] } });
    try {
      emulator.injectFault({ kind: "status", status: 500, count: 5 });
      const client = new EnvironmentSecretsClient({
        credentials: { kind: "token", token: emulator.token },
        baseUrl: emulator.url,
        retry: { maxRetries: 1, retryBaseMs: 10 },
      });
      const error = (await client.getPublicKey(ref).catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(/GitHub answered 500 after all retries/);
    } finally {
      await emulator.stop();
    }
  });
});

test("after a request got no answer on any attempt, later requests fail at once instead of each waiting its own bound", async () => {
  const emulator = await GithubEmulator.start({ repositories: { "acme/api": ["production"] } });
  try {
    const client = new EnvironmentSecretsClient({
      credentials: { kind: "token", token: emulator.token },
      baseUrl: emulator.url,
      writeDelayMs: 0,
      retry: { maxRetries: 1, retryBaseMs: 10, requestTimeoutMs: 400 },
    });
    emulator.injectFault({ kind: "delay", ms: 60_000, count: Infinity, match: { method: "PUT" } });
    const put = (i: number) =>
      client
        .putSecret(
          { repository: "acme/api", environment: "production", secretName: `S${i}` },
          { encryptedValue: "x", keyId: "1" },
        )
        .then(
          () => "written",
          (e: Error) => e.message,
        );
    expect(await put(0)).toMatch(
      /did not answer within 0\.4 s on any of 2 attempts: .*\(repository acme\/api, environment "production", secret S0\)$/,
    );
    // Terraform starts the next resources as earlier ones finish: they must not each wait 2 × 0.4 s.
    // Proof that they did not: no further PUT reached the emulator (counted below).
    const later = await Promise.all([1, 2, 3, 4, 5].map(put));
    for (const [i, message] of later.entries()) {
      expect(message).toMatch(
        /^not sent: an earlier request failed: http:\/\/127\.0\.0\.1:\d+ did not answer within 0\.4 s/,
      );
      expect(message).toMatch(new RegExp(`secret S${i + 1}\\)$`));
    }
    expect(
      emulator.requestCounts()[
        "PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}"
      ],
    ).toBe(2);
  } finally {
    await emulator.stop();
  }
});
