/**
 * The fault suite: every fault class the emulator injects (src/testing/faults.ts) is survived: the
 * apply either succeeds anyway or fails naming the secret, and the next plain apply converges (every
 * value as declared, then an empty plan). The provider's client rides these out by its own retries, so
 * no Terraform is needed to prove it: the stack is driven in this process
 * (test/helpers/in-process-terraform.ts). What involves Terraform's own processes (Ctrl-C, kill -9 of
 * Terraform and of the provider, two applies at once) is slow by nature and runs in the slow tier:
 * test/slow/faults-processes.test.ts. The summary reporter prints "faults survived: N/N" from this
 * file's results.
 */
import { readFileSync } from "node:fs";
import { type Fault, GithubEmulator } from "../src/testing";
import { type Declared, InProcessTerraform } from "./helpers/in-process-terraform";

const REPO = "acme/api";
const NAMES = ["ALPHA", "BETA"];
const SECRET_ROUTE = "/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";
let emulator: GithubEmulator;

const valueOf = (v: number) => `value-${v}`;

/** A two-secret stack in environment "ridden", driven in this process. */
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

beforeAll(async () => {
  emulator = await GithubEmulator.start({ repositories: { [REPO]: [RIDDEN_ENV] } });
  fast = new InProcessTerraform({ baseUrl: emulator.url, token: emulator.token });
});
afterAll(async () => {
  await emulator?.stop();
});

const onWrites = { method: "PUT", route: SECRET_ROUTE };
/** Fault classes the provider rides out: the apply succeeds anyway. */
const ridden: Array<[string, Fault]> = [
  ["5xx answers (502, twice)", { kind: "status", status: 502, count: 2, match: onWrites }],
  ["dropped connections (twice)", { kind: "drop", count: 2, match: onWrites }],
  // Slow, yet within the request timeout (30 s by default): waited for, not abandoned.
  ["slow answers (0.5 s each)", { kind: "delay", ms: 500, count: 2, match: onWrites }],
  [
    "secondary rate limit (403 + retry-after)",
    { kind: "secondaryRateLimit", retryAfter: 1, match: onWrites },
  ],
  ["429 with retry-after", { kind: "rateLimit429", retryAfter: 1, match: onWrites }],
  ["primary rate limit (x-ratelimit-reset)", { kind: "primaryRateLimit", resetAfter: 1, match: onWrites }],
  ["environment key rotated mid-apply", { kind: "rotateKey", match: onWrites }],
];

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
