// npm run bench:provider — figures for the Terraform provider, measured side by side in one run:
//   1. plugin start (the launcher Terraform runs) to handshake line (median), next to a bare `node` start:
//      wall time, and the CPU time the process had used when its handshake line arrived (Linux);
//   2. peak RSS of the largest provider process Terraform starts for a 100-secret plan (median over plans);
//   3. `terraform plan` wall time for 100 existing secrets: ours (refreshes all 100 against the
//      emulator) next to 100 terraform_data resources (refresh nothing), and the ratio.
//
//   npm run bench:provider -- --startup-only                 # item 1 only (seconds, not minutes)
//   npm run bench:provider -- --startup-only --against <bundle.cjs>   # and another bundle, alternated
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { dist, median, ms, platform, root, Workdir } from "./lib.mjs";

const RUNS = Number(process.env.BENCH_RUNS || 7);
const argv = process.argv.slice(2);
const STARTUP_ONLY = argv.includes("--startup-only");
const AGAINST = argv.includes("--against") ? argv[argv.indexOf("--against") + 1] : undefined;
if (AGAINST !== undefined && !existsSync(AGAINST)) {
  console.error(`bench:provider: --against takes a provider bundle (.cjs); ${AGAINST} does not exist`);
  process.exit(2);
}
const SECRETS = 100;
const { createSelfSignedCertificate } = dist("provider/protocol/certificate.js");
const { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } = dist("provider/protocol/handshake.js");
const { writeProviderMirror, PROVIDER_SOURCE } = dist("mirror/index.js");
const { GithubEmulator } = dist("testing/index.js");

/**
 * CPU milliseconds a running process has used, all its threads: the scheduler's nanosecond
 * counters (/proc/<pid>/task/<tid>/schedstat), finer than utime + stime's 10 ms ticks. Linux only.
 */
function cpuMs(pid) {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // The thread ended meanwhile.
      }
    }
    return ns / 1e6;
  } catch {
    return undefined;
  }
}

/**
 * From spawn to the first stdout line: wall milliseconds, and the CPU milliseconds the process
 * had used by then (undefined off Linux). Then asks the process to stop.
 */
function timeToFirstLine(command, args, env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "ignore"] });
    let result;
    child.stdout.once("data", () => {
      result = { wall: Number(process.hrtime.bigint() - started) / 1e6, cpu: cpuMs(child.pid) };
      child.kill("SIGTERM");
    });
    child.on("exit", () => (result === undefined ? reject(new Error("no handshake line")) : resolve(result)));
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
  });
}

/** The launcher Terraform would run for `bundlePath` (default: this package's bundle), in `dir`. */
function launcherIn(dir, bundlePath) {
  const [platformDir] = writeProviderMirror(dir, { platforms: [platform()], bundlePath }).directories;
  const launcherName = readdirSync(platformDir).find((f) => f.startsWith("terraform-provider-"));
  if (!launcherName) throw new Error(`no terraform-provider-* launcher in ${platformDir}`);
  return join(platformDir, launcherName);
}

/** Median wall and CPU milliseconds of a series of timeToFirstLine results. */
function medians(results) {
  const cpu = results.map((r) => r.cpu).filter((v) => v !== undefined);
  return { wall: median(results.map((r) => r.wall)), cpu: cpu.length ? median(cpu) : undefined };
}

async function startup() {
  const clientCert = createSelfSignedCertificate().certPem;
  const env = {
    ...process.env,
    [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
    PLUGIN_PROTOCOL_VERSIONS: "6",
    PLUGIN_CLIENT_CERT: clientCert,
    PLUGIN_MIN_PORT: "10000",
    PLUGIN_MAX_PORT: "25000",
  };
  // Through the launcher Terraform runs (sh, then node with its flags), as in real use.
  const dir = new Workdir("startup");
  const againstDir = AGAINST === undefined ? undefined : new Workdir("startup-against");
  try {
    const launcher = launcherIn(dir.dir);
    const againstLauncher = againstDir && launcherIn(againstDir.dir, AGAINST);
    const provider = [];
    const against = [];
    const bare = [];
    await timeToFirstLine(launcher, [], env); // warm the file cache
    if (againstLauncher) await timeToFirstLine(againstLauncher, [], env);
    // Interleaved, so that load from other processes spreads over all of them alike.
    for (let i = 0; i < RUNS * 3; i++) {
      provider.push(await timeToFirstLine(launcher, [], env));
      if (againstLauncher) against.push(await timeToFirstLine(againstLauncher, [], env));
      bare.push(
        await timeToFirstLine(
          process.execPath,
          ["-e", "process.stdout.write('x\\n'); setTimeout(()=>{}, 10000)"],
          env,
        ),
      );
    }
    return {
      provider: medians(provider),
      against: againstLauncher ? medians(against) : undefined,
      bare: medians(bare),
    };
  } finally {
    dir.remove();
    againstDir?.remove();
  }
}

const cpuText = (m) => (m.cpu === undefined ? "n/a (no /proc)" : ms(m.cpu));

function printRows(rows) {
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [name, value, target, note] of rows)
    console.log(`${name.padEnd(width)}  ${value.padStart(10)}  ${target.padEnd(17)} ${note}`);
}

function startupRows(start) {
  const rows = [
    [
      "plugin start to handshake (median)",
      ms(start.provider.wall),
      "target <= 120 ms",
      `bare node: ${ms(start.bare.wall)}`,
    ],
    ["CPU used by the handshake (median)", cpuText(start.provider), "", `bare node: ${cpuText(start.bare)}`],
  ];
  if (start.against)
    rows.push(
      [`  --against ${AGAINST}: start to handshake`, ms(start.against.wall), "", ""],
      [`  --against ${AGAINST}: CPU`, cpuText(start.against), "", ""],
    );
  return rows;
}

function secretsConfig(url) {
  const resource = {};
  for (let i = 0; i < SECRETS; i++) {
    resource[`s${i}`] = {
      repository: "acme/api",
      environment: i % 2 ? "staging" : "production",
      secret_name: `SECRET_${i}`,
      value_env: "BENCH_VALUE",
    };
  }
  return {
    terraform: { required_providers: { ghsecrets: { source: PROVIDER_SOURCE } } },
    provider: { ghsecrets: { base_url: url, write_delay_ms: 0 } },
    resource: { ghsecrets_environment_secret: resource },
  };
}

function terraformDataConfig() {
  const resource = {};
  for (let i = 0; i < SECRETS; i++) resource[`s${i}`] = { input: `value-${i}` };
  return { resource: { terraform_data: resource } };
}

async function main() {
  console.log(
    `cdktf-github-secrets provider benchmark — ${STARTUP_ONLY ? `start-up only, ${RUNS * 3} starts each` : `${RUNS} runs each, ${SECRETS} secrets`}, node ${process.version}`,
  );
  const start = await startup();
  if (STARTUP_ONLY) {
    printRows(startupRows(start));
    return;
  }

  const emulator = await GithubEmulator.start({ repositories: { "acme/api": ["production", "staging"] } });
  const rssFile = join(root, ".tmp", `bench-rss-${process.pid}.jsonl`);
  const ours = new Workdir("ghsecrets", { GITHUB_TOKEN: emulator.token, BENCH_VALUE: "bench-value" });
  const theirs = new Workdir("terraform-data");
  try {
    ours.write(secretsConfig(emulator.url));
    writeProviderMirror(ours.dir, { platforms: [platform()] });
    theirs.write(terraformDataConfig());
    await ours.run(["init"]);
    await theirs.run(["init"]);
    await ours.run(["apply", "-auto-approve"]);
    await theirs.run(["apply", "-auto-approve"]);

    // Peak RSS of the provider processes of each plan: the largest one per plan, median over plans.
    const rssPerPlan = [];
    let processesPerPlan = 0;
    for (let i = 0; i < RUNS; i++) {
      rmSync(rssFile, { force: true });
      await ours.run(["plan", "-detailed-exitcode"], {
        NODE_OPTIONS: `--require=${join(root, "bench/record-rss.cjs")}`,
        BENCH_RSS_FILE: rssFile,
      });
      const rss = readFileSync(rssFile, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).maxRssKiB / 1024);
      rssPerPlan.push(Math.max(...rss));
      processesPerPlan = rss.length;
    }

    const oursMs = [];
    const theirsMs = [];
    emulator.resetRequestCounts();
    for (let i = 0; i < RUNS; i++) {
      oursMs.push((await ours.run(["plan", "-detailed-exitcode"])).elapsedMs);
      theirsMs.push((await theirs.run(["plan", "-detailed-exitcode"])).elapsedMs);
    }
    const counts = emulator.requestCounts();
    const lists = counts["GET /repos/{owner}/{repo}/environments/{environment_name}/secrets"] ?? 0;
    const others = Object.entries(counts)
      .filter(([k]) => !k.endsWith("/secrets"))
      .reduce((n, [, v]) => n + v, 0);

    const rows = [
      ...startupRows(start),
      [
        "peak RSS of one provider process (median)",
        `${median(rssPerPlan).toFixed(1)} MiB`,
        "target <= 80 MiB",
        `largest of the ${processesPerPlan} processes of a plan; max over plans ${Math.max(...rssPerPlan).toFixed(1)} MiB`,
      ],
      [
        `terraform plan, ${SECRETS} ghsecrets secrets (median)`,
        ms(median(oursMs)),
        "",
        `API: ${lists / RUNS} list calls/plan, ${others} other calls`,
      ],
      [`terraform plan, ${SECRETS} terraform_data (median)`, ms(median(theirsMs)), "", "refreshes nothing"],
      ["ratio ghsecrets / terraform_data", `${(median(oursMs) / median(theirsMs)).toFixed(2)}x`, "", ""],
    ];
    printRows(rows);
  } finally {
    ours.remove();
    theirs.remove();
    rmSync(rssFile, { force: true });
    await emulator.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
