import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "./terraform";

const run = promisify(execFile);

/** The caller's environment without its Terraform log settings, plus `extra`. */
export function pluginEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("TF_LOG")) delete env[key];
  return { ...env, ...extra };
}

export interface EchoBundle {
  /** A private temporary folder, removed after the suite. */
  readonly tmpRoot: string;
  /** The echo provider (test/fixtures/echo-provider.ts) bundled the way the real one is. */
  readonly bundlePath: string;
  /** Starts the bundle as Terraform would; killed after the suite if still running. */
  start(env: NodeJS.ProcessEnv): {
    child: ChildProcess;
    firstLine: Promise<string>;
    exited: Promise<number | null>;
    stderr: () => string;
  };
}

/**
 * Registers beforeAll/afterAll hooks that bundle the echo provider with scripts/bundle-provider.mjs
 * (the framework and plumbing, without GitHub) and clean up after the suite.
 */
export function useEchoBundle(name: string): EchoBundle {
  const tmpRoot = mkdtempSync(join(tmpdir(), `ghsecrets-${name}-`));
  const bundlePath = join(tmpRoot, "echo-provider.cjs");
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const script = join(REPO_ROOT, "scripts/bundle-provider.mjs");
    await run(process.execPath, [script, "--entry", "test/fixtures/echo-provider.ts", "--out", bundlePath], {
      cwd: REPO_ROOT,
      timeout: 60_000,
    });
  }, 60_000);

  afterAll(() => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    rmSync(tmpRoot, { recursive: true, force: true });
  });

  return {
    tmpRoot,
    bundlePath,
    start(env) {
      const child = spawn(process.execPath, [bundlePath], { env, stdio: ["ignore", "pipe", "pipe"] });
      children.push(child);
      let out = "";
      let err = "";
      child.stderr.on("data", (d) => (err += d));
      const firstLine = new Promise<string>((resolveLine, reject) => {
        child.stdout.on("data", (d) => {
          out += d;
          if (out.includes("\n")) resolveLine(out.split("\n")[0]);
        });
        child.once("exit", () => reject(new Error(`exited before the handshake; stderr: ${err}`)));
      });
      firstLine.catch(() => undefined);
      const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
      return { child, firstLine, exited, stderr: () => err };
    },
  };
}
