// npm run bench — this provider next to the hand-written baseline (terraform_data + local-exec
// Node script, bench/baseline-secret.mjs) and bare terraform_data, measured side by side in one run
// against the emulator with a simulated API latency. Every run of every tool is interleaved, so
// load from other processes spreads over all of them alike: read the ratios first.
//
//   npm run bench                         # N = 100 and 500 over 5 environments, 3 runs, 30 ms latency
//   npm run bench -- --quick              # N = 100, 1 run: a few minutes
//   npm run bench -- --with-1000          # adds N = 1,000 (10 environments: GitHub allows 100 per environment)
//   npm run bench -- --sizes 500 --runs 5 --latency-ms 0 --tools ours,keyed,bare --json out.json
//
// Rows: apply creating N, no-op plan, apply changing all N values, destroy. Columns: median wall
// time, API calls per route (first run; they do not vary), peak RSS of the largest provider process.
import { cpus, loadavg } from "node:os";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import terraformVersion from "../scripts/terraform-version.cjs";
import { dist, median, platform, root, Workdir } from "./lib.mjs";

const { writeProviderMirror, PROVIDER_SOURCE } = dist("mirror/index.js");
const { GithubEmulator } = dist("testing/index.js");

const USAGE = `usage: npm run bench -- [--quick] [--with-1000] [--sizes 100,500] [--runs N] [--latency-ms MS]
                        [--tools ours,keyed,baseline,bare] [--json FILE]`;
const TOOLS = {
  ours: "this provider (scrypt fingerprint)",
  keyed: "this provider (keyed fingerprint)",
  baseline: "hand-written baseline",
  bare: "bare terraform_data",
};
const OPERATIONS = ["apply (create N)", "no-op plan", "apply (change all)", "destroy"];
const FINGERPRINT_KEY = "bench-fingerprint-key-0123456789abcdef0123456789";

function parseArgs(argv) {
  const options = { sizes: [100, 500], runs: 3, latencyMs: 30, tools: Object.keys(TOOLS), json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? argv[++i] ?? fail(`${flag} needs a value`);
    switch (flag) {
      case "--quick":
        options.sizes = [100];
        options.runs = 1;
        break;
      case "--with-1000":
        options.sizes = [...new Set([...options.sizes, 1000])];
        break;
      case "--sizes":
        options.sizes = value().split(",").map(Number);
        break;
      case "--runs":
        options.runs = Number(value());
        break;
      case "--latency-ms":
        options.latencyMs = Number(value());
        break;
      case "--tools":
        options.tools = value().split(",");
        break;
      case "--json":
        options.json = value();
        break;
      case "--help":
        console.log(USAGE);
        process.exit(0);
        break; // unreachable; ESLint cannot tell that process.exit never returns
      default:
        fail(`unknown option ${argv[i]}`);
    }
  }
  if (options.sizes.some((n) => !(Number.isInteger(n) && n > 0)))
    fail("--sizes takes whole numbers, e.g. 100,500");
  if (!(Number.isInteger(options.runs) && options.runs > 0)) fail("--runs takes a whole number of 1 or more");
  if (!(options.latencyMs >= 0)) fail("--latency-ms takes a number of milliseconds, 0 or more");
  const unknown = options.tools.filter((t) => !(t in TOOLS));
  if (unknown.length)
    fail(`unknown tool ${unknown.join(", ")}: choose from ${Object.keys(TOOLS).join(", ")}`);
  return options;
}

function fail(message) {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

/** 5 environments, or more when GitHub's 100 secrets per environment demand it. */
function environmentsFor(n) {
  return Math.max(5, Math.ceil(n / 100));
}

function secretsOf(tool, n) {
  const envs = environmentsFor(n);
  return Array.from({ length: n }, (_, i) => ({
    key: `s${i}`,
    repository: `bench/${tool}`,
    environment: `env-${i % envs}`,
    name: `SECRET_${i}`,
  }));
}

function configFor(tool, n, url) {
  const secrets = secretsOf(tool, n);
  if (tool === "ours" || tool === "keyed") {
    const resource = {};
    for (const s of secrets) {
      resource[s.key] = {
        repository: s.repository,
        environment: s.environment,
        secret_name: s.name,
        value_env: "BENCH_VALUE",
      };
    }
    return {
      terraform: { required_providers: { ghsecrets: { source: PROVIDER_SOURCE } } },
      provider: {
        ghsecrets: {
          base_url: url,
          write_delay_ms: 0,
          ...(tool === "keyed" ? { fingerprint_key_env: "BENCH_FINGERPRINT_KEY" } : {}),
        },
      },
      resource: { ghsecrets_environment_secret: resource },
    };
  }
  const resource = {};
  if (tool === "bare") {
    for (const s of secrets) resource[s.key] = { input: `\${var.value_version}-${s.name}` };
  } else {
    const script = join(root, "bench/baseline-secret.mjs");
    for (const s of secrets) {
      resource[s.key] = {
        input: { repository: s.repository, environment: s.environment, secret_name: s.name },
        // A new value can only be written by replacing the resource: the script runs on create.
        triggers_replace: "${var.value_version}",
        provisioner: [
          {
            "local-exec": {
              command: `node ${script} put`,
              environment: { REPO: s.repository, ENVIRONMENT: s.environment, NAME: s.name },
            },
          },
          {
            "local-exec": {
              when: "destroy",
              command: `node ${script} delete`,
              environment: {
                REPO: "${self.input.repository}",
                ENVIRONMENT: "${self.input.environment}",
                NAME: "${self.input.secret_name}",
              },
            },
          },
        ],
      };
    }
  }
  return {
    variable: { value_version: { type: "string", default: "1" } },
    resource: { terraform_data: resource },
  };
}

/** One full cycle of one tool: create, no-op plan, change all, destroy. */
async function cycle(tool, n, emulator, rssFile) {
  const isOurs = tool === "ours" || tool === "keyed";
  const dir = new Workdir(`${tool}-${n}`, {
    GITHUB_TOKEN: emulator.token,
    GITHUB_API_URL: emulator.url,
    BENCH_FINGERPRINT_KEY: FINGERPRINT_KEY,
  });
  const envs = environmentsFor(n);
  for (let e = 0; e < envs; e++) emulator.addEnvironment(`bench/${tool}`, `env-${e}`);
  const result = {};
  try {
    dir.write(configFor(tool, n, emulator.url));
    if (isOurs) writeProviderMirror(dir.dir, { platforms: [platform()] });
    await dir.run(["init"]);
    const steps = [
      ["apply (create N)", ["apply", "-auto-approve"], "1"],
      ["no-op plan", ["plan", "-detailed-exitcode"], "1"],
      ["apply (change all)", ["apply", "-auto-approve"], "2"],
      ["destroy", ["destroy", "-auto-approve"], "2"],
    ];
    for (const [operation, args, version] of steps) {
      rmSync(rssFile, { force: true });
      emulator.resetRequestCounts();
      const extra = {
        BENCH_VALUE: `bench-value-${version}`,
        TF_VAR_value_version: version,
        ...(isOurs
          ? { NODE_OPTIONS: `--require=${join(root, "bench/record-rss.cjs")}`, BENCH_RSS_FILE: rssFile }
          : {}),
      };
      const { elapsedMs, stdout } = await dir.run(args, extra);
      if (operation === "no-op plan" && !/No changes/.test(stdout)) {
        throw new Error(`${tool}: the plan after apply is not empty:\n${stdout.slice(-2000)}`);
      }
      let rssMiB;
      if (isOurs) {
        const lines = readFileSync(rssFile, "utf8").trim().split("\n");
        rssMiB = Math.max(...lines.map((line) => JSON.parse(line).maxRssKiB / 1024));
      }
      result[operation] = { ms: elapsedMs, calls: emulator.requestCounts(), rssMiB };
      process.stderr.write(`  ${TOOLS[tool]}, N=${n}: ${operation} ${(elapsedMs / 1000).toFixed(1)} s\n`);
    }
    const left = emulator.listSecrets(`bench/${tool}`, "env-0").length;
    if (left !== 0) throw new Error(`${tool}: destroy left ${left} secrets in env-0`);
  } finally {
    dir.remove();
  }
  return result;
}

const seconds = (ms) => (ms === undefined ? "—" : `${(ms / 1000).toFixed(2)} s`);
const ratio = (a, b) => (a === undefined || b === undefined ? "—" : `${(a / b).toFixed(2)}×`);

/** "GET list 5, PUT 500" from emulator route counts. */
function callSummary(calls) {
  const short = (route) =>
    route
      .replace("/repos/{owner}/{repo}/environments/{environment_name}/secrets", "")
      .replace(/^(\w+) $/, "$1 list")
      .replace(/^(\w+) \/public-key$/, "$1 key")
      .replace(/^(\w+) \/\{secret_name\}$/, "$1 secret");
  const parts = Object.entries(calls ?? {}).map(([route, count]) => `${short(route)} ${count}`);
  return parts.length ? parts.join(", ") : "none";
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, node ${process.version}, terraform ${terraformVersion.requireTerraform()}`;
  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  console.log(`# cdktf-github-secrets benchmark\n`);
  console.log(`machine: ${machine}`);
  console.log(
    `emulator latency ${options.latencyMs} ms per request, write_delay_ms 0 (pacing off), terraform -parallelism 10 (default), ${options.runs} run(s), medians`,
  );
  console.log(`load average at start: ${loadBefore}\n`);

  const emulator = await GithubEmulator.start({ latencyMs: options.latencyMs });
  for (const tool of options.tools) emulator.addRepository(`bench/${tool}`);
  const rssFile = join(root, ".tmp", `bench-rss-${process.pid}.jsonl`);
  const results = {};
  try {
    for (const n of options.sizes) {
      results[n] = Object.fromEntries(options.tools.map((t) => [t, []]));
      for (let run = 0; run < options.runs; run++) {
        for (const tool of options.tools) {
          process.stderr.write(`run ${run + 1}/${options.runs}\n`);
          results[n][tool].push(await cycle(tool, n, emulator, rssFile));
        }
      }
    }
  } finally {
    rmSync(rssFile, { force: true });
    await emulator.stop();
  }

  for (const n of options.sizes) printSize(n, results[n], options);
  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  printPhysicalLimit(options.sizes);
  printTargets(results, options);
  if (options.json) {
    writeFileSync(options.json, JSON.stringify({ machine, loadBefore, options, results }, null, 2));
    console.log(`\nraw results: ${options.json}`);
  }
}

function medianOf(runs, operation, field = "ms") {
  const values = runs.map((r) => r[operation]?.[field]).filter((v) => v !== undefined);
  return values.length ? median(values) : undefined;
}

function printSize(n, byTool, options) {
  const tools = options.tools;
  console.log(`## N = ${n} secrets over ${environmentsFor(n)} environments\n`);
  const hasBare = tools.includes("bare");
  const header = [
    "operation",
    ...tools.map((t) => TOOLS[t]),
    ...(hasBare ? tools.filter((t) => t !== "bare").map((t) => `${t} / bare`) : []),
  ];
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  for (const operation of OPERATIONS) {
    const times = Object.fromEntries(tools.map((t) => [t, medianOf(byTool[t], operation)]));
    const cells = [
      operation,
      ...tools.map((t) => seconds(times[t])),
      ...(hasBare ? tools.filter((t) => t !== "bare").map((t) => ratio(times[t], times.bare)) : []),
    ];
    console.log(`| ${cells.join(" | ")} |`);
  }
  console.log(`\nAPI calls per route (first run):\n`);
  console.log(
    `| operation | ${tools
      .filter((t) => t !== "bare")
      .map((t) => TOOLS[t])
      .join(" | ")} |`,
  );
  console.log(
    `|---|${tools
      .filter((t) => t !== "bare")
      .map(() => "---")
      .join("|")}|`,
  );
  for (const operation of OPERATIONS) {
    const cells = tools.filter((t) => t !== "bare").map((t) => callSummary(byTool[t][0]?.[operation]?.calls));
    console.log(`| ${operation} | ${cells.join(" | ")} |`);
  }
  const ours = tools.filter((t) => t === "ours" || t === "keyed");
  if (ours.length) {
    console.log(`\nPeak RSS of the largest provider process (median):\n`);
    console.log(`| operation | ${ours.map((t) => TOOLS[t]).join(" | ")} |`);
    console.log(`|---|${ours.map(() => "---").join("|")}|`);
    for (const operation of OPERATIONS) {
      const cells = ours.map((t) => {
        const rss = medianOf(byTool[t], operation, "rssMiB");
        return rss === undefined ? "—" : `${rss.toFixed(1)} MiB`;
      });
      console.log(`| ${operation} | ${cells.join(" | ")} |`);
    }
  }
  console.log("");
}

function printPhysicalLimit(sizes) {
  console.log(`\n## The limit on real GitHub\n`);
  console.log(
    "Writes are paced: one starts every write_delay_ms (default 1000), under GitHub's secondary limit of",
  );
  console.log("about 80 content-creating requests per minute (one per 0.75 s). Whatever the tool:\n");
  console.log("    time to write W secrets  >=  W × max(write_delay_ms, 750 ms)\n");
  for (const n of sizes) {
    const paced = n * 1.0;
    const floor = n * 0.75;
    console.log(
      `    N = ${n}: >= ${fmtMinutes(paced)} at the default write_delay_ms=1000; >= ${fmtMinutes(floor)} at GitHub's floor`,
    );
  }
}

function fmtMinutes(s) {
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function printTargets(results, _options) {
  const n = 500;
  if (!results[n]) return;
  const t = (tool, op) => medianOf(results[n][tool] ?? [], op);
  const lines = [];
  const check = (label, value, limit, unit = "s") =>
    value !== undefined && limit !== undefined
      ? lines.push(
          `${value <= limit ? "met    " : "NOT met"}  ${label}: ${(value / (unit === "s" ? 1000 : 1)).toFixed(2)} vs ${(limit / (unit === "s" ? 1000 : 1)).toFixed(2)} ${unit}`,
        )
      : undefined;
  check("no-op plan, scrypt fingerprint <= 8 s", t("ours", "no-op plan"), 8000);
  check(
    "no-op plan, keyed <= 3 × bare",
    t("keyed", "no-op plan"),
    t("bare", "no-op plan") && 3 * t("bare", "no-op plan"),
  );
  check(
    "apply creating 500 <= 2 × bare",
    t("ours", "apply (create N)"),
    t("bare", "apply (create N)") && 2 * t("bare", "apply (create N)"),
  );
  check(
    "change all <= no-op plan + create",
    t("ours", "apply (change all)"),
    t("ours", "no-op plan") && t("ours", "no-op plan") + t("ours", "apply (create N)"),
  );
  if (results[1000]?.ours) {
    const rss = Math.max(...OPERATIONS.map((op) => medianOf(results[1000].ours, op, "rssMiB") ?? 0));
    check("peak RSS at 1,000 secrets <= 128 MiB", rss, 128, "MiB");
  }
  if (lines.length)
    console.log(`\n## Targets (N = 500, medians)\n\n${lines.map((l) => `    ${l}`).join("\n")}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
