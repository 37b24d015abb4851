/**
 * The real terraform drives the bundled echo provider (the framework and plumbing without GitHub):
 * init offline from the implicit local mirror, a write-only attribute, hclog lines in Terraform's
 * log, in-place update, replacement, import, destroy, and every provider process gone on Shutdown.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROVIDER_SOURCE, writeProviderMirror } from "../src/mirror";
import type { Message } from "../src/provider/protocol/messages";
import { useEchoBundle } from "./helpers/plugin-process";
import { providerProcessesIn, runTerraform } from "./helpers/terraform";

const { tmpRoot, bundlePath } = useEchoBundle("framework-terraform");

describe("terraform drives the bundled provider", () => {
  const work = join(tmpRoot, "tf");
  const cliConfig = join(tmpRoot, "empty.tfrc");
  const terraform = async (
    args: string[],
    extra: Record<string, string | undefined> = {},
  ): Promise<{ code: number; out: string }> => {
    const result = await runTerraform(args, { cwd: work, cliConfig, env: extra, timeoutMs: 60_000 });
    return { code: result.code, out: result.stdout + result.stderr };
  };
  const writeConfig = (resources: Record<string, Message>, extra: Message = {}) =>
    writeFileSync(
      join(work, "main.tf.json"),
      JSON.stringify({
        terraform: { required_providers: { ghsecrets: { source: PROVIDER_SOURCE, version: "0.1.0" } } },
        provider: { ghsecrets: { prefix: "echo-" } },
        variable: { secret: { type: "string", sensitive: true, ephemeral: true } },
        resource: { ghsecrets_echo: resources },
        ...extra,
      }),
    );
  const leftoverProviders = () => providerProcessesIn(work);

  test("init offline, plan, apply, no-op plan, in-place update, replace, import, destroy; no leftovers", async () => {
    mkdirSync(work, { recursive: true });
    writeFileSync(cliConfig, "");
    writeProviderMirror(work, { bundlePath });
    writeConfig({ one: { name: "alpha", message: "hi", secret: "${var.secret}" } });
    const secret = { TF_VAR_secret: "s3cret-value-1" };

    const init = await terraform(["init", "-input=false"]);
    expect(init.out).toMatch(
      /Installed cdktf-github-secrets\.local\/ghsecrets\/ghsecrets v0\.1\.0 \(unauthenticated\)/,
    );
    expect(init.code).toBe(0);

    const plan = await terraform(["plan", "-detailed-exitcode"], secret);
    expect(plan.out).toMatch(/secret\s+= \(write-only attribute\)/);
    expect(plan.out).toMatch(/id\s+= \(known after apply\)/);
    expect(plan.code).toBe(2);

    const log = join(tmpRoot, "provider.log");
    const apply = await terraform(["apply", "-auto-approve"], {
      ...secret,
      TF_LOG_PROVIDER: "DEBUG",
      TF_LOG_PATH: log,
    });
    expect(apply.out).toMatch(/Creation complete.*\[id=echo-alpha\]/);
    expect(apply.code).toBe(0);
    const state = readFileSync(join(work, "terraform.tfstate"), "utf8");
    expect(state).toContain('"secret": null');
    expect(state).not.toContain("s3cret-value");
    const logText = readFileSync(log, "utf8");
    expect(logText).toMatch(
      /\[INFO\] {2}provider\.terraform-provider-ghsecrets_v0\.1\.0: echo apply: .*name=alpha/,
    ); // hclog JSON lines reached Terraform's log
    expect(logText).not.toContain("s3cret-value");

    expect((await terraform(["plan", "-detailed-exitcode"], secret)).code).toBe(0);

    const changedSecret = { TF_VAR_secret: "s3cret-value-2" };
    const update = await terraform(["plan", "-detailed-exitcode"], changedSecret);
    expect(update.out).toMatch(/will be updated in-place/);
    expect(update.code).toBe(2);

    writeConfig({ one: { name: "beta", message: "hi", secret: "${var.secret}" } });
    const replacePlan = await terraform(["plan", "-detailed-exitcode"], changedSecret);
    expect(replacePlan.out).toMatch(/must be replaced/);
    expect(replacePlan.out).toMatch(/name\s+= "alpha" -> "beta" # forces replacement/);
    expect(replacePlan.code).toBe(2);
    const replaced = await terraform(["apply", "-auto-approve"], changedSecret);
    expect(replaced.out).toMatch(/1 added, 0 changed, 1 destroyed/);

    writeConfig(
      { one: { name: "beta", message: "hi", secret: "${var.secret}" }, two: { name: "gamma" } },
      { import: [{ to: "ghsecrets_echo.two", id: "gamma" }] },
    );
    const imported = await terraform(["apply", "-auto-approve"], changedSecret);
    expect(imported.out).toMatch(/1 imported, 0 added, 0 changed, 0 destroyed/);
    expect((await terraform(["plan", "-detailed-exitcode"], changedSecret)).code).toBe(0);

    const destroyLog = join(tmpRoot, "destroy.log");
    const destroy = await terraform(["destroy", "-auto-approve"], {
      ...changedSecret,
      TF_LOG: "debug",
      TF_LOG_PATH: destroyLog,
    });
    expect(destroy.out).toMatch(/2 destroyed/);
    expect(destroy.code).toBe(0);

    // Every provider process left on Shutdown by itself: go-plugin kills one that is still there
    // after 2 s, and says so.
    const destroyLogText = readFileSync(destroyLog, "utf8");
    expect(destroyLogText).toMatch(/provider exiting: reason=Shutdown/);
    expect(destroyLogText).not.toMatch(
      /failed to exit gracefully|plugin process exited.*error=signal: killed/,
    );
    const deadline = Date.now() + 1000;
    while (leftoverProviders().length > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(leftoverProviders()).toEqual([]);
  }, 120_000);
});
