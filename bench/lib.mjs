// Shared by the benchmarks: timing, statistics and Terraform working directories.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const require = createRequire(join(root, "package.json"));
/** A module of the compiled package (npm run build); a computed path, so typecheck needs no build. */
export const dist = (path) => require(join(root, "dist", path));

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const ms = (n) => `${n.toFixed(1)} ms`;

export function platform() {
  return `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
}

/** A Terraform working directory under .tmp/bench with an empty CLI configuration. */
export class Workdir {
  constructor(name, env = {}) {
    mkdirSync(join(root, ".tmp"), { recursive: true });
    this.dir = mkdtempSync(join(root, ".tmp", `bench-${name}-`));
    this.cliConfig = join(this.dir, "empty.tfrc");
    writeFileSync(this.cliConfig, "");
    this.env = env;
  }
  write(config) {
    writeFileSync(join(this.dir, "main.tf.json"), JSON.stringify(config, null, 2));
  }
  run(args, extraEnv = {}) {
    const env = {
      ...process.env,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      TF_CLI_CONFIG_FILE: this.cliConfig,
      ...this.env,
      ...extraEnv,
    };
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    return new Promise((done, fail) => {
      const started = process.hrtime.bigint();
      execFile(
        "terraform",
        [...args, "-no-color"],
        // 20 min: an apply changing 1,000 scrypt-fingerprinted secrets exceeded 5 min at a load of 12 on 2 cores.
        { cwd: this.dir, env, timeout: 1_200_000, maxBuffer: 64 << 20 },
        (error, stdout, stderr) => {
          const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
          if (error && !(args.includes("-detailed-exitcode") && error.code === 2)) {
            fail(new Error(`terraform ${args.join(" ")} failed (${error.code}):\n${stdout}\n${stderr}`));
          } else done({ stdout, stderr, elapsedMs });
        },
      );
    });
  }
  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
