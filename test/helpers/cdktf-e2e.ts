// Shared set-up of the suites that synthesize cdktf stacks and run the real terraform on them against
// the emulator in this process (terraform runs asynchronously, so the emulator keeps answering).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type App, LocalBackend, TerraformStack, Testing } from "cdktf";
import { GithubSecretsProvider } from "../../src";
import { GithubEmulator } from "../../src/testing";
import { requireTerraform, runTerraform } from "./terraform";
import { useTestTmp } from "./test-tmp";

export interface CdktfE2e {
  readonly emulator: GithubEmulator;
  readonly tmp: string;
  /** A stack (of `app`, else a fresh one) with a local state file in its own directory and an unpaced provider. */
  newStack(id: string, app?: App): TerraformStack;
  /** Synthesizes the stack (provider mirror included) and returns its directory. */
  synth(stack: TerraformStack): string;
  /** Runs terraform in `dir`; throws with its output unless the exit code is 0 (or 2 with -detailed-exitcode). */
  terraform(dir: string, ...args: string[]): Promise<{ stdout: string; code: number }>;
}

/**
 * Registers beforeAll/afterAll hooks: an emulator with `repositories`, a private temp folder (cdktf's
 * Testing writes into os.tmpdir()), and the environment terraform needs (`extraEnv` added).
 */
export function useCdktfE2e(
  name: string,
  repositories: Record<string, string[]>,
  extraEnv: Record<string, string> = {},
): CdktfE2e {
  const tmp = useTestTmp(name);
  const savedEnv = { ...process.env };
  const context = { tmp } as { emulator: GithubEmulator; tmp: string };

  beforeAll(async () => {
    requireTerraform();
    context.emulator = await GithubEmulator.start({ repositories });
    const cliConfig = join(tmp, "empty.tfrc");
    writeFileSync(cliConfig, "");
    Object.assign(process.env, {
      TMPDIR: tmp,
      CHECKPOINT_DISABLE: "1",
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: "1",
      GITHUB_TOKEN: context.emulator.token,
      GITHUB_API_URL: context.emulator.url,
      ...extraEnv,
    });
  });

  afterAll(async () => {
    await context.emulator?.stop();
    for (const key of Object.keys(process.env)) {
      if (!(key in savedEnv)) delete process.env[key];
    }
    Object.assign(process.env, savedEnv);
  });

  return {
    get emulator() {
      return context.emulator;
    },
    tmp,
    newStack(id: string, app: App = Testing.app()): TerraformStack {
      const stack = new TerraformStack(app, id);
      new LocalBackend(stack, { path: "terraform.tfstate" });
      new GithubSecretsProvider(stack, "github", { writeDelayMs: 0, maxRetries: 0 });
      return stack;
    },
    synth(stack: TerraformStack): string {
      return join(Testing.fullSynth(stack), "stacks", stack.node.id);
    },
    terraform: terraformIn,
  };
}

/**
 * Terraform in a stack directory, without blocking this process (the emulator may run in it), with the
 * environment useCdktfE2e set up; throws with its output unless the exit code is 0 (or 2 with
 * -detailed-exitcode).
 */
export async function terraformIn(dir: string, ...args: string[]): Promise<{ stdout: string; code: number }> {
  const result = await runTerraform(args, { cwd: dir, timeoutMs: 90_000 });
  if (result.code === 0 || (result.code === 2 && args.includes("-detailed-exitcode"))) {
    return { stdout: result.stdout, code: result.code };
  }
  throw new Error(`terraform ${args.join(" ")} failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
}
