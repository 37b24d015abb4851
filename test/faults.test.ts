/**
 * The fault suite: each thing that can go wrong during an apply — every fault class the emulator
 * injects (src/testing/faults.ts), Ctrl-C, kill -9 of Terraform and of the provider, and two
 * applies at once — is survived: the apply either succeeds anyway or fails naming the secret, and
 * the next plain apply converges (every value as declared, then an empty plan), with no process
 * left behind. The fault classes the provider's client rides out run in the fast tier (in this
 * process); what involves Terraform's processes and signals runs the real terraform. The summary reporter prints "faults survived: N/N" from this file's results.
 */
import { readFileSync } from "node:fs";
import { type Fault, GithubEmulator } from "../src/testing";
import { type Declared, InProcessTerraform } from "./helpers/in-process-terraform";
import {
  providerConfig,
  providerProcessesIn,
  requireTerraform,
  type RunResult,
  TerraformDir,
} from "./helpers/terraform";

jest.setTimeout(240_000);

const REPO = "acme/api";
const NAMES = ["ALPHA", "BETA"];
const PUT = "PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";
const SECRET_ROUTE = "/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";
let emulator: GithubEmulator;
let tf: TerraformDir;
let version = 0;

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

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
  emulator = await GithubEmulator.start({ repositories: { [REPO]: ["production", RIDDEN_ENV] } });
  fast = new InProcessTerraform({ baseUrl: emulator.url, token: emulator.token });
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

const onWrites = { method: "PUT", route: SECRET_ROUTE };
/** Fault classes the provider rides out: the apply succeeds anyway. */
const ridden: Array<[string, Fault]> = [
  ["5xx answers (502, twice)", { kind: "status", status: 502, count: 2, match: onWrites }],
  ["dropped connections (twice)", { kind: "drop", count: 2, match: onWrites }],
  ["slow answers (1.5 s each)", { kind: "delay", ms: 1500, count: 2, match: onWrites }],
  [
    "secondary rate limit (403 + retry-after)",
    { kind: "secondaryRateLimit", retryAfter: 1, match: onWrites },
  ],
  ["429 with retry-after", { kind: "rateLimit429", retryAfter: 1, match: onWrites }],
  ["primary rate limit (x-ratelimit-reset)", { kind: "primaryRateLimit", resetAfter: 1, match: onWrites }],
  ["environment key rotated mid-apply", { kind: "rotateKey", match: onWrites }],
];

/**
 * The faults a provider rides out by its own retries need no Terraform to prove: the same two-secret
 * stack in environment "ridden", driven in this process (test/helpers/in-process-terraform.ts).
 */
const RIDDEN_ENV = "ridden";
const fastStack = Object.fromEntries(
  NAMES.map((name): [string, Declared] => [
    name.toLowerCase(),
    {
      type: "ghsecrets_environment_secret",
      config: { repository: REPO, environment: RIDDEN_ENV, secret_name: name, value_env: "SECRET_VALUE" },
    },
  ]),
);
let fast: InProcessTerraform;
let fastVersion = 0;
const fastApply = () => fast.apply(fastStack, { env: { SECRET_VALUE: valueOf(++fastVersion) } });

/** After any fault: a plain apply converges and the next plan is empty. */
async function expectFastConverges(): Promise<void> {
  emulator.clearFaults();
  const applied = await fastApply();
  // Warnings may say what the fault did (a secret gone with its environment); errors may not remain.
  expect(applied.errors.length === 0 ? "" : applied.text).toBe("");
  for (const name of NAMES)
    expect(emulator.getSecretValue(REPO, RIDDEN_ENV, name)).toBe(valueOf(fastVersion));
  const plan = await fast.plan(fastStack, { env: { SECRET_VALUE: valueOf(fastVersion) } });
  expect({ errors: plan.text, actions: plan.actions }).toEqual({ errors: "", actions: {} });
}

describe("faults", () => {
  test.each(ridden)("%s: the apply succeeds anyway", async (_name, fault) => {
    emulator.injectFault(fault);
    const applied = await fastApply();
    expect(applied.errors.length === 0 ? "" : applied.text).toBe("");
    for (const name of NAMES)
      expect(emulator.getSecretValue(REPO, RIDDEN_ENV, name)).toBe(valueOf(fastVersion));
    await expectFastConverges();
  });

  test("environment removed mid-apply: the apply fails naming it; once it exists again, an apply converges", async () => {
    emulator.injectFault({ kind: "removeEnvironment", match: onWrites });
    const applied = await fastApply();
    expect(applied.errors.length).toBeGreaterThan(0);
    expect(applied.text).toMatch(/acme\/api, environment "ridden"/);
    emulator.addEnvironment(REPO, RIDDEN_ENV);
    await expectFastConverges();
  });

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

test("every fault class of the emulator is in the suite", () => {
  const source = readFileSync(require.resolve("../src/testing/faults.ts"), "utf8");
  const classes = [...source.matchAll(/kind: "([a-zA-Z0-9]+)"/g)].map((m) => m[1]);
  const union = /kind: "rotateKey" \| "removeEnvironment"/.test(source)
    ? ["rotateKey", "removeEnvironment"]
    : [];
  const covered = new Set<string>([...ridden.map(([, f]) => f.kind), "removeEnvironment"]);
  for (const kind of [...classes, ...union]) expect(covered).toContain(kind);
});
