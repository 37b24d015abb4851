/**
 * Issue 7, end to end with the real terraform: what the transport guarantees once the provider
 * runs under Terraform — stalled answers are abandoned, a dead API fails the run by itself.
 * In the slow tier: the same cases run in the core suite in process (test/request-timeout.test.ts,
 * test/provider-config.test.ts); this file confirms them on the real terraform.
 */
import { type AddressInfo, createServer } from "node:net";
import { GithubEmulator } from "../../src/testing";
import { flatText, oneSecretStack, requireTerraform, type TerraformDir } from "../helpers/terraform";

jest.setTimeout(180_000);

const REPO = "acme/api";
const PUT = "PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";

/** Terraform wraps diagnostics at 80 columns. */
const flat = flatText;

/** A port where nothing listens: one that was free a moment ago. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

let emulator: GithubEmulator;
const dirs: TerraformDir[] = [];

beforeAll(async () => {
  requireTerraform();
  emulator = await GithubEmulator.start({ repositories: { [REPO]: ["production"] } });
});
afterAll(async () => {
  for (const dir of dirs) dir.remove();
  await emulator?.stop();
});

const stack = (name: string, provider: Record<string, unknown>) =>
  oneSecretStack(name, emulator, { provider, created: dirs });

describe("every request is bounded (item 3)", () => {
  test("a PUT whose answer stalls is abandoned after request_timeout_ms and retried: the apply succeeds", async () => {
    const tf = await stack("stall", { request_timeout_ms: 1000, max_retries: 2 });
    emulator.resetRequestCounts();
    emulator.injectFault({ kind: "delay", ms: 120_000, match: { method: "PUT" } });
    const started = Date.now();
    const { stdout } = await tf.ok(["apply", "-auto-approve"]);
    expect(stdout).toMatch(/Apply complete! Resources: 1 added/);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(emulator.requestCounts()[PUT]).toBe(2);
    expect(emulator.getSecretValue(REPO, "production", "STALL_S")).toBe("value");
  });

  test("a server that never answers fails the apply by itself, naming the timeout", async () => {
    const tf = await stack("dead", { request_timeout_ms: 500, max_retries: 1 });
    emulator.injectFault({ kind: "delay", ms: 120_000, count: Infinity, match: { method: "PUT" } });
    const started = Date.now();
    // No kill from outside: run() would only kill after 120 s, far beyond the bound checked here.
    const result = await tf.run(["apply", "-auto-approve"]);
    emulator.clearFaults();
    const elapsed = Date.now() - started;
    expect(result.code).toBe(1);
    const output = flat(result.stdout + result.stderr);
    expect(output).toMatch(/did not answer within 0\.5 s on any of 2 attempts/);
    expect(output).toMatch(/request_timeout_ms/);
    expect(output).not.toMatch(/answered 500/);
    // 2 attempts × 0.5 s + a 1 s back-off, plus terraform's own start-up: far below a hang.
    expect(elapsed).toBeLessThan(30_000);
  });
});

describe("base_url (item 6)", () => {
  test("a base_url that is not a URL is refused by terraform validate, before anything is sent", async () => {
    const tf = await stack("badurl", { base_url: "github.example.com/api/v3" });
    const result = await tf.run(["validate"]);
    expect(result.code).toBe(1);
    expect(flat(result.stderr)).toMatch(
      /Invalid base_url: base URL "github.example.com\/api\/v3" is not an http\(s\) URL/,
    );
  });

  test("a refused connection fails the plan naming the URL, not as a 500 from GitHub", async () => {
    const port = await closedPort();
    const tf = await stack("refused", { base_url: `http://127.0.0.1:${port}`, max_retries: 0 });
    const result = await tf.run(["apply", "-auto-approve"]);
    expect(result.code).toBe(1);
    expect(flat(result.stderr)).toContain(`could not reach http://127.0.0.1:${port} (connect ECONNREFUSED`);
    expect(result.stderr).not.toMatch(/answered 500/);
  });
});
