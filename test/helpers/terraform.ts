import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeProviderMirror } from "../../src/mirror";

export const PROVIDER_SOURCE = "cdktf-github-secrets.local/ghsecrets/ghsecrets";
export const REPO_ROOT = resolve(__dirname, "..", "..");
export const TMP_ROOT = join(REPO_ROOT, ".tmp");

/**
 * Fails (never skips) when Terraform >= 1.11 is missing: the end-to-end suites are the point.
 */
export function requireTerraform(): string {
  let version: string;
  try {
    const out = execFileSync("terraform", ["version", "-json"], {
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "pipe", "ignore"],
    });
    version = (JSON.parse(out) as { terraform_version: string }).terraform_version;
  } catch {
    throw new Error(
      "terraform was not found on PATH: install Terraform >= 1.11 (e.g. 1.11.4) to run the end-to-end tests",
    );
  }
  const [major, minor] = version.split(".").map(Number);
  if (!(major > 1 || (major === 1 && minor >= 11))) {
    throw new Error(`Terraform ${version} is too old: install Terraform >= 1.11 to run the end-to-end tests`);
  }
  return version;
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

  /**
   * Starts terraform in its own process group (`detached`), as a shell would for a foreground job:
   * `process.kill(-child.pid, "SIGINT")` then reaches Terraform and its providers, like Ctrl-C.
   */
  start(
    args: string[],
    extraEnv: Record<string, string | undefined> = {},
    timeoutMs = 120_000,
  ): { child: ChildProcess; result: Promise<RunResult> } {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries({
      ...process.env,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      TF_CLI_CONFIG_FILE: this.cliConfig,
      TF_PLUGIN_CACHE_DIR: undefined,
      TF_LOG: undefined,
      ...this.env,
      ...extraEnv,
    })) {
      if (value !== undefined) env[key] = value;
    }
    const child = spawn("terraform", [...args.slice(0, 1), "-no-color", ...args.slice(1)], {
      cwd: this.dir,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const result = collectBounded(child, timeoutMs);
    return { child, result };
  }

  /** Runs and expects exit code `expected` (0 by default), with terraform's output in the failure. */
  async ok(
    args: string[],
    extraEnv: Record<string, string | undefined> = {},
    expected = 0,
  ): Promise<RunResult> {
    const result = await this.run(args, extraEnv);
    if (result.code !== expected) {
      throw new Error(
        `terraform ${args.join(" ")} exited ${result.code}, expected ${expected}\n${result.stdout}\n${result.stderr}`,
      );
    }
    return result;
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
