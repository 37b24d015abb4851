/**
 * `npm start`: the root cdktf app (cdktf.json) end to end.
 *
 * Without GITHUB_TOKEN and EXAMPLE_REPOSITORY it runs against the built-in GitHub emulator, whose
 * data and Terraform state are kept in cdktf.out/ so a second run shows "No changes". With both set it acts on real
 * GitHub: the repository's environments must exist and every variable the stack reads must be set.
 * Needs no cdktf-cli: the app is run as cdktf.json says, then terraform in the stack directory.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type EmulatorSnapshot, GithubEmulator } from "../src/testing";

const ROOT = resolve(__dirname, "..");
const STEPS = 5;
const started = Date.now();

interface SecretConfig {
  repository: string;
  environment: string;
  secret_name: string;
  value_env?: string;
}

function step(n: number, text: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\n[${n}/${STEPS}] ${text}  (+${seconds}s)`);
}

function fail(message: string): never {
  console.error(`\nnpm start: ${message}`);
  process.exit(1);
}

/** Runs a command; output goes to the terminal unless captured. Rejects on a non-zero exit. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; capture?: boolean },
): Promise<string> {
  return new Promise((done, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", options.capture ? "pipe" : "inherit", "inherit"],
    });
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.on("error", (error) => reject(new Error(`${command}: ${error.message}`)));
    child.on("exit", (code) =>
      code === 0 ? done(out) : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

/** The scheme and the end of the digest: enough to see a change, short enough for a table. */
function shortFingerprint(fingerprint: string | null | undefined): string {
  if (!fingerprint) return "(none)";
  const parts = fingerprint.split("$");
  return `${parts[0]}…${parts[parts.length - 1].slice(-10)}`;
}

function demoValue(variable: string): string {
  // Deterministic, so a second run plans no change; obviously not a real secret.
  return `demo-value-of-${variable.toLowerCase()}`;
}

async function main(): Promise<void> {
  const cdktf = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")) as {
    app: string;
    output?: string;
  };
  const outdir = resolve(ROOT, process.env.CDKTF_OUTDIR || cdktf.output || "cdktf.out");
  const real = Boolean(process.env.GITHUB_TOKEN && process.env.EXAMPLE_REPOSITORY);
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "true" };
  // A CLI configuration variable naming a file that does not exist only makes terraform warn on every command.
  if (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;

  step(1, `Synthesizing the app: ${cdktf.app}`);
  await run("sh", ["-c", cdktf.app], { cwd: ROOT, env: { ...env, CDKTF_OUTDIR: outdir } });
  const stacks = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { workingDirectory: string; synthesizedStackPath: string }>;
  };
  const [stackName, stack] = Object.entries(stacks.stacks)[0] ?? fail("the app synthesized no stack");
  const stackDir = join(outdir, stack.workingDirectory);
  const synthesized = JSON.parse(readFileSync(join(outdir, stack.synthesizedStackPath), "utf8")) as {
    resource?: { ghsecrets_environment_secret?: Record<string, SecretConfig> };
  };
  const secrets = Object.values(synthesized.resource?.ghsecrets_environment_secret ?? {});
  console.log(`stack "${stackName}": ${secrets.length} environment secrets, in ${stackDir}`);

  let emulator: GithubEmulator | undefined;
  const snapshotPath = join(outdir, "emulator-snapshot.json");
  step(
    2,
    real
      ? `Using real GitHub (${process.env.GITHUB_API_URL || "https://api.github.com"}) for ${process.env.EXAMPLE_REPOSITORY}`
      : "Starting the built-in GitHub emulator",
  );
  if (real) {
    const missing = secrets
      .map((s) => s.value_env)
      .filter((name): name is string => !!name && process.env[name] === undefined);
    if (missing.length > 0)
      fail(`set these variables to the values to store: ${[...new Set(missing)].join(", ")}`);
  } else {
    const snapshot = existsSync(snapshotPath)
      ? (JSON.parse(readFileSync(snapshotPath, "utf8")) as EmulatorSnapshot)
      : undefined;
    emulator = await GithubEmulator.start({ snapshot });
    for (const secret of secrets) {
      emulator.addRepository(secret.repository);
      emulator.addEnvironment(secret.repository, secret.environment);
      if (secret.value_env && env[secret.value_env] === undefined)
        env[secret.value_env] = demoValue(secret.value_env);
    }
    Object.assign(env, { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: emulator.token, GH_TOKEN: undefined });
    console.log(
      `emulator at ${emulator.url}${snapshot ? ", with the data of the previous run" : ""}; demo values for unset variables`,
    );
  }

  try {
    // Synthesis wrote the stack's lock file with the hashes of the bundle it placed there, for
    // every platform, so init needs no network and a rebuilt bundle is picked up.
    step(3, "terraform init");
    // The emulator's state lives beside the emulator's data in the output directory, apart from
    // the stack's own state file (cdktf's default, in the project root, as `cdktf deploy` uses it
    // on real GitHub): the two modes, and test runs with their own CDKTF_OUTDIR, never share state.
    // -reconfigure: switching modes changes the backend path; never copy state from one to the other.
    const backend = emulator ? [`-backend-config=path=${join(outdir, "emulator.tfstate")}`] : [];
    await run("terraform", ["init", "-input=false", "-no-color", "-reconfigure", ...backend], {
      cwd: stackDir,
      env,
    });
    step(4, "terraform plan");
    await run("terraform", ["plan", "-input=false", "-no-color", "-out=tfplan"], { cwd: stackDir, env });
    step(5, "terraform apply");
    await run("terraform", ["apply", "-input=false", "-no-color", "tfplan"], { cwd: stackDir, env });

    const state = JSON.parse(
      await run("terraform", ["show", "-json"], { cwd: stackDir, env, capture: true }),
    ) as {
      values?: {
        root_module?: { resources?: Array<{ type: string; values: Record<string, string | null> }> };
      };
    };
    const rows = (state.values?.root_module?.resources ?? [])
      .filter((r) => r.type === "ghsecrets_environment_secret")
      .map((r) => {
        const v = r.values;
        const held = emulator?.getSecretValue(
          String(v.repository),
          String(v.environment),
          String(v.secret_name),
        );
        const expected = v.value_env ? env[v.value_env] : undefined;
        const check = !emulator
          ? "(GitHub never returns values)"
          : held === undefined
            ? "MISSING"
            : expected === undefined
              ? "held"
              : held === expected
                ? "decrypts to the declared value"
                : "DIFFERS";
        return [
          String(v.environment),
          String(v.secret_name),
          shortFingerprint(v.value_fingerprint),
          String(v.updated_at),
          check,
        ];
      });
    const header = [
      "environment",
      "secret",
      "fingerprint",
      "updated_at",
      emulator ? "emulator check" : "value",
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    console.log(`\nWhat ${emulator ? "the emulator" : "GitHub"} now holds for ${stackName}:`);
    for (const row of [header, ...rows])
      console.log("  " + row.map((cell, i) => cell.padEnd(widths[i])).join("  "));
    if (rows.some((r) => r[4] === "MISSING" || r[4] === "DIFFERS"))
      fail("a secret does not hold its declared value");
    console.log(
      `\nDone in ${((Date.now() - started) / 1000).toFixed(1)}s. Run \`npm start\` again: the plan shows "No changes".`,
    );
  } finally {
    if (emulator) {
      mkdirSync(outdir, { recursive: true });
      writeFileSync(snapshotPath, JSON.stringify(emulator.snapshot()));
      await emulator.stop();
    }
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
