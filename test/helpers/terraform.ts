import { type ChildProcess, spawn } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { writeProviderMirror } from "../../src/mirror";

export const PROVIDER_SOURCE = "cdktf-github-secrets.local/ghsecrets/ghsecrets";
export const REPO_ROOT = resolve(__dirname, "..", "..");
export const TMP_ROOT = join(REPO_ROOT, ".tmp");

// The version rule and the install hint live in one file, shared with .ci/run (plain CommonJS: CI runs
// it before anything is installed).
const terraformVersion = require("../../scripts/terraform-version.cjs") as {
  requireTerraform(): string;
};

/** Terraform's version, once per test file: every runner below checks it before its first run. */
let checkedVersion: string | undefined;

/**
 * Fails (never skips) when Terraform >= 1.11 is missing, saying what to install: the end-to-end
 * suites are the point. `runTerraform` calls it.
 */
export function requireTerraform(): string {
  return (checkedVersion ??= terraformVersion.requireTerraform());
}

/** The platform directory name Terraform uses on this machine. */
export function currentPlatform(): string {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  return `${os}_${arch}`;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The output and exit code of a child started with `detached: true` (spawn, not execFile: execFile
 * does not pass `detached` on), killed with its whole process group after `timeoutMs`.
 */
export function collectBounded(child: ChildProcess, timeoutMs: number): Promise<RunResult> {
  return new Promise<RunResult>((done) => {
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeoutMs} ms)`;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      done({ code: 127, stdout, stderr: `${stderr}\n${error.message}` });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code: code ?? 1, stdout, stderr });
    });
  });
}

export interface TerraformRun {
  /** The working directory terraform starts in (where it looks for terraform.d/plugins). */
  cwd: string;
  /** Added to the caller's environment after the hygiene below; an undefined value unsets a variable. */
  env?: Record<string, string | undefined>;
  /** The CLI configuration file; default: the caller's TF_CLI_CONFIG_FILE. */
  cliConfig?: string;
  /** Killed with its process group after this long (default 120 s). */
  timeoutMs?: number;
  /** Add -no-color after the subcommand (default true; `providers lock` refuses it). */
  noColor?: boolean;
}

/**
 * The environment every terraform run gets: the caller's, without what would change the outcome
 * (the caller's log settings, plugin cache and data directory), offline and non-interactive.
 */
export function terraformEnv(
  extra: Record<string, string | undefined> = {},
  cliConfig?: string,
): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(merged)) if (key.startsWith("TF_LOG")) delete merged[key];
  Object.assign(merged, {
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    TF_PLUGIN_CACHE_DIR: undefined,
    TF_DATA_DIR: undefined,
    ...(cliConfig ? { TF_CLI_CONFIG_FILE: cliConfig } : {}),
    ...extra,
  });
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(merged)) if (value !== undefined) env[key] = value;
  return env;
}

/**
 * The one way tests start terraform: checks its version first (failing with what to install), in its
 * own process group (`detached`), as a shell would for a foreground job: `process.kill(-child.pid,
 * "SIGINT")` then reaches Terraform and its providers, like Ctrl-C. Bounded by `timeoutMs`.
 */
export function startTerraform(
  args: string[],
  options: TerraformRun,
): { child: ChildProcess; result: Promise<RunResult> } {
  requireTerraform();
  const withColor = options.noColor === false ? args : [...args.slice(0, 1), "-no-color", ...args.slice(1)];
  const child = spawn("terraform", withColor, {
    cwd: options.cwd,
    env: terraformEnv(options.env, options.cliConfig),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { child, result: collectBounded(child, options.timeoutMs ?? 120_000) };
}

/** Runs terraform to the end (see startTerraform); never throws on a non-zero exit. */
export function runTerraform(args: string[], options: TerraformRun): Promise<RunResult> {
  return startTerraform(args, options).result;
}

/** Runs terraform and expects exit code `expected` (0 by default), with its output in the failure. */
export async function terraformOk(args: string[], options: TerraformRun, expected = 0): Promise<RunResult> {
  const result = await runTerraform(args, options);
  if (result.code !== expected) {
    throw new Error(
      `terraform ${args.join(" ")} exited ${result.code}, expected ${expected}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

/**
 * Provider processes (of this project's bundle) that Terraform started in `dir`, found through
 * /proc/<pid>/cwd (Linux): after a run, none may be left.
 */
export function providerProcessesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) !== dir) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("ghsecrets-provider"))
        pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

/** A Terraform working directory with the bundled provider as its implicit local mirror. */
export class TerraformDir {
  readonly dir: string;
  readonly cliConfig: string;

  constructor(
    name: string,
    readonly env: Record<string, string | undefined>,
  ) {
    mkdirSync(TMP_ROOT, { recursive: true });
    this.dir = mkdtempSync(join(TMP_ROOT, `${name}-`));
    // An empty CLI configuration: nothing from the caller's ~/.terraformrc may change the outcome.
    this.cliConfig = join(this.dir, "..", `${name}-${process.pid}-cli.tfrc`);
    writeFileSync(this.cliConfig, "");
    writeProviderMirror(this.dir, { platforms: [currentPlatform()] });
  }

  writeConfig(config: object): void {
    writeFileSync(join(this.dir, "main.tf.json"), JSON.stringify(config, null, 2));
  }

  /** Runs terraform with a bounded timeout; never throws on a non-zero exit. */
  run(
    args: string[],
    extraEnv: Record<string, string | undefined> = {},
    timeoutMs = 120_000,
  ): Promise<RunResult> {
    return this.start(args, extraEnv, timeoutMs).result;
  }

  /** Starts terraform in this directory (see startTerraform). */
  start(
    args: string[],
    extraEnv: Record<string, string | undefined> = {},
    timeoutMs = 120_000,
  ): { child: ChildProcess; result: Promise<RunResult> } {
    return startTerraform(args, {
      cwd: this.dir,
      cliConfig: this.cliConfig,
      env: { ...this.env, ...extraEnv },
      timeoutMs,
    });
  }

  /** Runs and expects exit code `expected` (0 by default), with terraform's output in the failure. */
  ok(args: string[], extraEnv: Record<string, string | undefined> = {}, expected = 0): Promise<RunResult> {
    return terraformOk(
      args,
      { cwd: this.dir, cliConfig: this.cliConfig, env: { ...this.env, ...extraEnv } },
      expected,
    );
  }

  async stateJson(): Promise<{
    values?: { root_module?: { resources?: Array<{ address: string; values: Record<string, unknown> }> } };
  }> {
    const { stdout } = await this.ok(["show", "-json"]);
    return JSON.parse(stdout);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.cliConfig, { force: true });
  }
}

/** A JSON configuration using the bundled provider against `baseUrl`, with no write pacing. */
export function providerConfig(
  resources: Record<string, object>,
  extra: Record<string, unknown> = {},
): object {
  return {
    terraform: { required_providers: { ghsecrets: { source: PROVIDER_SOURCE } } },
    provider: { ghsecrets: { write_delay_ms: 0 } },
    resource: { ghsecrets_environment_secret: resources },
    ...extra,
  };
}

/** Terraform wraps diagnostics at 80 columns: compare text with whitespace runs made one space. */
export function flatText(text: string): string {
  return text.replace(/\s+/g, " ");
}

/**
 * An initialised working directory with one secret, `<NAME>_S` in acme/api's "production"
 * environment, whose value comes from the variable S, against `api` (the emulator) with the given
 * provider settings. Removed with the other directories of `created`.
 */
export async function oneSecretStack(
  name: string,
  api: { url: string; token: string },
  options: {
    provider?: Record<string, unknown>;
    env?: Record<string, string>;
    created?: TerraformDir[];
  } = {},
): Promise<TerraformDir> {
  const tf = new TerraformDir(name, { GITHUB_TOKEN: api.token, S: "value", ...options.env });
  options.created?.push(tf);
  tf.writeConfig({
    terraform: { required_providers: { ghsecrets: { source: PROVIDER_SOURCE } } },
    provider: { ghsecrets: { base_url: api.url, write_delay_ms: 0, ...options.provider } },
    resource: {
      ghsecrets_environment_secret: {
        s: {
          repository: "acme/api",
          environment: "production",
          secret_name: `${name.toUpperCase()}_S`,
          value_env: "S",
        },
      },
    },
  });
  await tf.ok(["init"]);
  return tf;
}
