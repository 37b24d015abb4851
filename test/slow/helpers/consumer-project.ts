/**
 * A consumer's own project, as a user makes one: this package packed with `npm pack` and installed
 * from the tarball into a fresh directory OUTSIDE this repository (so no node_modules of ours up the
 * tree can stand in for a missing dependency). Installs prefer the local npm cache.
 *
 *   const work = consumerWorkDir("consumer");           // removed by removeWorkDir(work)
 *   const tarball = packLibrary(work);                  // dist/ must be built
 *   const project = createConsumerProject(join(work, "app"), { tarball, dependencies: {...} });
 *   const install = await installConsumerProject(project);
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { collectBounded, REPO_ROOT, type RunResult } from "../../helpers/terraform";

/** A fresh directory under the system temporary directory (outside the repository). */
export function consumerWorkDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `cdktf-gh-secrets-${name}-`));
}

/** Removes a directory made by consumerWorkDir (safe when it was never made). */
export function removeWorkDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** Options of one bounded command. */
export interface RunOptions {
  readonly cwd: string;
  /** Added to the environment of this process (CHECKPOINT_DISABLE is always set). */
  readonly env?: Record<string, string | undefined>;
  readonly timeoutMs?: number;
  /** Text that must never be printed (secret values, tokens): replaced by *** in errors. */
  readonly redact?: readonly string[];
}

/** Runs a command in its own process group, killed with its children after the timeout. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  return collectBounded(child, options.timeoutMs ?? 300_000);
}

/** `text` with every redacted string replaced by ***. */
export function redact(text: string, secrets: readonly string[] = []): string {
  return secrets.filter((s) => s !== "").reduce((out, s) => out.split(s).join("***"), text);
}

/** Like run, but throws (with the command, directory and redacted output) on a non-zero exit. */
export async function runOk(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      redact(
        `\`${[command, ...args].join(" ")}\` exited with ${result.code} in ${options.cwd}:\n` +
          `${result.stdout}\n${result.stderr}`,
        options.redact,
      ),
    );
  }
  return result;
}

/**
 * `npm pack` of this repository into `destination`; returns the tarball's path. Packs the dist/ that is
 * built (no scripts: `npm test` and `npm run build` build it), and fails saying so when it is missing.
 */
export async function packLibrary(destination: string): Promise<string> {
  for (const built of [
    "dist/index.js",
    "dist/cli.js",
    "dist/provider-bundle/terraform-provider-ghsecrets.cjs",
  ])
    if (!existsSync(join(REPO_ROOT, built)))
      throw new Error(`${built} is missing: run \`npm run build\` before \`npm run test:slow\``);
  const result = await runOk(
    "npm",
    ["pack", "--ignore-scripts", "--json", "--pack-destination", destination],
    { cwd: REPO_ROOT, timeoutMs: 120_000 },
  );
  const [pack] = JSON.parse(result.stdout) as [{ filename: string }];
  return join(destination, pack.filename);
}

/** The one-secret app the slow tier's consumer projects synthesize. */
export interface OneSecretAppOptions {
  /** Module that `App` and `TerraformStack` come from. @default "cdktf" */
  readonly cdkModule?: string;
  /** CommonJS `require` (a `main.js` for `node`) instead of ES imports (a `main.ts`). @default false */
  readonly commonJs?: boolean;
  /** @default "secrets" */
  readonly stack?: string;
  /** @default "acme/api" */
  readonly repository?: string;
  /** @default "production" */
  readonly environment?: string;
  /** The `SecretValue` expression. @default `SecretValue.fromEnv("DB_PASSWORD")` */
  readonly value?: string;
}

/** Source of an app declaring one EnvironmentSecret, DB_PASSWORD, as the README's quick start does. */
export function oneSecretApp(options: OneSecretAppOptions = {}): string {
  const cdk = options.cdkModule ?? "cdktf";
  const imports = options.commonJs
    ? `const { App, TerraformStack } = require("${cdk}");
const { EnvironmentSecret, SecretValue } = require("cdktf-github-secrets");`
    : `import { App, TerraformStack } from "${cdk}";
import { EnvironmentSecret, SecretValue } from "cdktf-github-secrets";`;
  return `${imports}

const app = new App();
const stack = new TerraformStack(app, "${options.stack ?? "secrets"}");
new EnvironmentSecret(stack, "db", {
  repository: "${options.repository ?? "acme/api"}",
  environment: "${options.environment ?? "production"}",
  secretName: "DB_PASSWORD",
  value: ${options.value ?? 'SecretValue.fromEnv("DB_PASSWORD")'},
});
app.synth();
`;
}

/** What goes into the consumer project's package.json and beside it. */
export interface ConsumerProjectOptions {
  /** The packed library (packLibrary). */
  readonly tarball: string;
  /** More runtime dependencies, e.g. `{ cdktf: "0.21.0", constructs: "10.4.2" }`. */
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  /** Files to write, by path relative to the project (package.json is written from the above). */
  readonly files?: Record<string, string>;
}

/** Writes a consumer project into `dir` (made if missing) and returns `dir`. Nothing is installed. */
export function createConsumerProject(dir: string, options: ConsumerProjectOptions): string {
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: "acme-secrets-app",
    version: "1.0.0",
    private: true,
    dependencies: { "cdktf-github-secrets": `file:${options.tarball}`, ...options.dependencies },
    devDependencies: { ...options.devDependencies },
  };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [path, text] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** `npm install` in the project, preferring the npm cache; throws with npm's output when it fails. */
export function installConsumerProject(dir: string, extraArgs: readonly string[] = []): Promise<RunResult> {
  return runOk("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", ...extraArgs], {
    cwd: dir,
    timeoutMs: 600_000,
  });
}

/** Installed packages (directories holding a package.json under node_modules) and their size on disk. */
export function installedFootprint(dir: string): { packages: number; bytes: number } {
  let packages = 0;
  let bytes = 0;
  const walk = (path: string, inNodeModules: boolean): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        if (inNodeModules && !entry.name.startsWith("@") && !entry.name.startsWith("."))
          if (existsSync(join(full, "package.json"))) packages++;
        walk(full, entry.name === "node_modules" || (inNodeModules && entry.name.startsWith("@")));
      } else bytes += statSync(full).size;
    }
  };
  walk(join(dir, "node_modules"), true);
  return { packages, bytes };
}
