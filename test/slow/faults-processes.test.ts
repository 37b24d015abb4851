/**
 * The fault suite's process half: Ctrl-C, kill -9 of Terraform and of the provider, and two applies
 * at once, each on the real terraform during writes that hang in the emulator. Each fault ends in a
 * clear error (or success), and the next plain apply converges (every value as declared, then an
 * empty plan) with no provider process left behind. Slow by nature: every case waits for held writes
 * to finish before converging (about 8 s each), so it runs in the slow tier; the fault classes the
 * provider's client rides out are proven in the core suite (test/faults.test.ts). The summary
 * reporter prints "faults survived (Terraform's processes): N/N" from this file's results.
 */
import { GithubEmulator } from "../../src/testing";
import {
  providerConfig,
  providerProcessesIn,
  requireTerraform,
  type RunResult,
  TerraformDir,
} from "../helpers/terraform";
import { until } from "../helpers/until";

jest.setTimeout(240_000);

const REPO = "acme/api";
const NAMES = ["ALPHA", "BETA"];
const PUT = "PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";
const SECRET_ROUTE = "/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";
const onWrites = { method: "PUT", route: SECRET_ROUTE };
let emulator: GithubEmulator;
let tf: TerraformDir;
let version = 0;

/** Provider processes started for this working directory. */
const providerProcesses = () => providerProcessesIn(tf.dir);

const valueOf = (v: number) => `value-${v}`;
const apply = (v: number) => tf.start(["apply", "-auto-approve"], { SECRET_VALUE: valueOf(v) });

/** What "survived" means after any fault: a plain apply converges, the plan is empty, nothing lingers. */
async function expectConverges(): Promise<void> {
  emulator.clearFaults();
  await until(() => providerProcesses().length === 0, 10_000, "no provider process left from the fault");
  version++;
  await tf.ok(["apply", "-auto-approve"], { SECRET_VALUE: valueOf(version) });
  for (const name of NAMES) expect(emulator.getSecretValue(REPO, "production", name)).toBe(valueOf(version));
  await tf.ok(["plan", "-detailed-exitcode"], { SECRET_VALUE: valueOf(version) }, 0);
}

beforeAll(async () => {
  requireTerraform();
  if (process.platform !== "linux")
    throw new Error("the fault suite finds provider processes through /proc: run it on Linux");
  emulator = await GithubEmulator.start({ repositories: { [REPO]: ["production"] } });
  tf = new TerraformDir("faults", { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: emulator.token });
  tf.writeConfig(
    providerConfig(
      Object.fromEntries(
        NAMES.map((name) => [
          name.toLowerCase(),
          { repository: REPO, environment: "production", secret_name: name, value_env: "SECRET_VALUE" },
        ]),
      ),
    ),
  );
  await tf.ok(["init"]);
  await tf.ok(["apply", "-auto-approve"], { SECRET_VALUE: valueOf(version) });
});
afterAll(async () => {
  for (const pid of tf ? providerProcesses() : []) process.kill(pid, "SIGKILL");
  tf?.remove();
  await emulator?.stop();
});

describe("faults of Terraform's processes", () => {
  /** Starts an apply whose writes hang in the emulator, and waits for the first one. */
  async function applyWithHangingWrite() {
    emulator.resetRequestCounts();
    // Held 3 s, then handled: shorter than the convergence that follows, so no late write lands after it.
    emulator.injectFault({ kind: "delay", ms: 3000, count: NAMES.length, match: onWrites });
    version++;
    const run = apply(version);
    await until(() => (emulator.requestCounts()[PUT] ?? 0) >= 1, 60_000, "a PUT to reach the emulator");
    return run;
  }

  async function settle(result: Promise<RunResult>): Promise<RunResult> {
    const outcome = await result;
    await new Promise((r) => setTimeout(r, 3500)); // let held writes finish before converging
    return outcome;
  }

  test("Ctrl-C (SIGINT to the process group) during writes", async () => {
    const { child, result } = await applyWithHangingWrite();
    process.kill(-child.pid!, "SIGINT");
    const { code, stdout, stderr } = await settle(result);
    expect(code).not.toBe(0);
    expect(stdout + stderr).toMatch(/Interrupt received/);
    await expectConverges();
  });

  test("kill -9 of terraform during writes: its provider exits on its own", async () => {
    const { child, result } = await applyWithHangingWrite();
    const providers = providerProcesses();
    expect(providers.length).toBeGreaterThan(0);
    process.kill(child.pid!, "SIGKILL");
    await settle(result);
    await until(() => providerProcesses().length === 0, 10_000, "the orphaned provider to exit");
    await expectConverges();
  });

  test("kill -9 of the provider during writes: terraform fails and says so", async () => {
    const { result } = await applyWithHangingWrite();
    const [provider] = providerProcesses();
    expect(provider).toBeDefined();
    process.kill(provider!, "SIGKILL");
    const { code, stdout, stderr } = await settle(result);
    expect(code).not.toBe(0);
    expect(stdout + stderr).toMatch(/plugin|provider/i);
    await expectConverges();
  });

  test("two applies at once: the state lock lets one through; the other fails saying so, or waits", async () => {
    version++;
    const [first, second] = await Promise.all([apply(version).result, apply(version).result]);
    const outcomes = [first, second];
    expect(outcomes.some((r) => r.code === 0)).toBe(true);
    for (const r of outcomes) {
      if (r.code !== 0) expect(r.stdout + r.stderr).toMatch(/Error acquiring the state lock/);
    }
    for (const name of NAMES)
      expect(emulator.getSecretValue(REPO, "production", name)).toBe(valueOf(version));
    await expectConverges();
  });
});
