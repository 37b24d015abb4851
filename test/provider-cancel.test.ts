/**
 * Ctrl-C during an apply, as a terminal delivers it: SIGINT to Terraform and its providers (one
 * process group). The provider ignores the signal itself, and Terraform's StopProvider cancels the
 * write in flight (held by the emulator), so the apply ends promptly, with the secret named.
 */
import { GithubEmulator } from "../src/testing";
import { providerConfig, requireTerraform, TerraformDir } from "./helpers/terraform";
import { until } from "./helpers/until";

jest.setTimeout(120_000);

const REPO = "acme/api";
const PUT = "PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";
let emulator: GithubEmulator;
let tf: TerraformDir;
let group: number | undefined;

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  requireTerraform();
  emulator = await GithubEmulator.start({ repositories: { [REPO]: ["production"] } });
  tf = new TerraformDir("cancel", {
    GITHUB_API_URL: emulator.url,
    GITHUB_TOKEN: emulator.token,
    SLOW_VALUE: "slow",
  });
  tf.writeConfig(
    providerConfig({
      slow: { repository: REPO, environment: "production", secret_name: "SLOW", value_env: "SLOW_VALUE" },
    }),
  );
  await tf.ok(["init"]);
});
afterAll(async () => {
  if (group !== undefined && groupAlive(group)) process.kill(-group, "SIGKILL");
  tf?.remove();
  await emulator?.stop();
});

test("Ctrl-C while a write hangs: the write is cancelled and everything exits within seconds", async () => {
  emulator.injectFault({ kind: "delay", ms: 60_000, match: { method: "PUT" } });
  const { child, result } = tf.start(["apply", "-auto-approve"]);
  group = child.pid!;
  await until(() => (emulator.requestCounts()[PUT] ?? 0) >= 1, 60_000, "the PUT to reach the emulator");

  const interruptedAt = Date.now();
  process.kill(-group, "SIGINT");
  const { code, stdout, stderr } = await result;
  const output = stdout + stderr;

  expect(Date.now() - interruptedAt).toBeLessThan(10_000);
  expect(code).not.toBe(0);
  expect(output).toMatch(/Interrupt received/);
  expect(output).toMatch(/Cannot create the secret/);
  expect(output).toMatch(/acme\/api, environment "production", secret SLOW/);
  expect(output).toMatch(/cancel/i);
  // The provider went too (Shutdown), not left behind waiting for its write.
  await until(() => !groupAlive(group!), 5_000, "the provider process to exit");
  expect(emulator.getSecretValue(REPO, "production", "SLOW")).toBeUndefined();
});
