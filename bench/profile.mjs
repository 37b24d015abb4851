// npm run bench:profile — where the provider's time goes, per resource, in a no-op plan or in an
// apply creating every secret. Runs `terraform plan` over N existing secrets (or `terraform apply`
// creating them; default 500 over 5 environments, emulator without latency) with the provider
// bundled unminified and started under `node --cpu-prof`, then sums the self time of the busiest
// provider process by area (gRPC/TLS, protobuf, msgpack, fingerprints, Octokit, our framework and
// resource code, GC, idle) and lists the heaviest functions. It also prints every provider process
// Terraform started for the command: its CPU time and how long it lived.
//
//   npm run bench:profile -- [--secrets 500] [--mode keyed|scrypt] [--operation plan|create] [--top 25]
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleProvider } from "../scripts/bundle-provider.mjs";
import { dist, platform, root, Workdir } from "./lib.mjs";

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .join(" ")
    .split(/\s*--/)
    .filter(Boolean)
    .map((pair) => pair.split(/[ =]/)),
);
const SECRETS = Number(args.secrets ?? 500);
const MODE = args.mode ?? "keyed";
const TOP = Number(args.top ?? 25);
const OPERATION = args.operation ?? "plan";
if (OPERATION !== "plan" && OPERATION !== "create") {
  console.error(`bench:profile: --operation takes plan or create, not ${OPERATION}`);
  process.exit(2);
}
const ENVIRONMENTS = Math.max(5, Math.ceil(SECRETS / 100));

const { writeProviderMirror, PROVIDER_SOURCE, NODE_OVERRIDE_ENV } = dist("mirror/index.js");
const { GithubEmulator } = dist("testing/index.js");

/** Which area of the provider a profile node's code belongs to, by its source in the bundle. */
function areaOf(node, sources) {
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(idle)") return "idle";
  if (functionName === "(program)") return "V8 / native (program)";
  if (!url) return `native: ${functionName || "(anonymous)"}`;
  // The bundle, or one of the chunks it compiles from source text on first use (Octokit, libsodium).
  const file = [...sources.keys()].find((name) => url.endsWith(name));
  if (!file) return `node internals (${url.replace(/^node:/, "")})`;
  return sources.get(file)(lineNumber);
}

/** For bundled code: line number -> the package or src/ folder it came from. */
function areasByLine(code) {
  // esbuild marks each bundled module with a "// node_modules/<pkg>/..." or "// src/..." comment.
  const marks = [];
  code.split("\n").forEach((line, i) => {
    const m = /^\/\/ ((?:node_modules\/((?:@[^/]+\/)?[^/]+))|src\/[^ ]+)/.exec(line);
    if (m)
      marks.push([i, m[2] ? m[2] : m[1].replace(/^src\/(\w+\/)?(\w+\/)?.*$/, "src/$1$2").replace(/\/$/, "")]);
  });
  return (line) => {
    let area = "bundle (other)";
    for (const [at, name] of marks) {
      if (at > line) break;
      area = name;
    }
    return area;
  };
}

async function main() {
  const out = join(root, ".tmp", "profile-bundle.cjs");
  const { chunks } = await bundleProvider({ out, minify: false });
  const sources = new Map([["ghsecrets-provider.cjs", areasByLine(readFileSync(out, "utf8"))]]);
  for (const [name, code] of chunks) sources.set(`${name}.cjs`, areasByLine(code));

  const emulator = await GithubEmulator.start();
  emulator.addRepository("bench/profile");
  for (let e = 0; e < ENVIRONMENTS; e++) emulator.addEnvironment("bench/profile", `env-${e}`);
  const profiles = join(root, ".tmp", `profiles-${process.pid}`);
  mkdirSync(profiles, { recursive: true });
  const dir = new Workdir("profile", {
    GITHUB_TOKEN: emulator.token,
    BENCH_VALUE: "v",
    BENCH_FINGERPRINT_KEY: "profile-fingerprint-key-0123456789abcdef",
  });
  try {
    const resource = {};
    for (let i = 0; i < SECRETS; i++) {
      resource[`s${i}`] = {
        repository: "bench/profile",
        environment: `env-${i % ENVIRONMENTS}`,
        secret_name: `SECRET_${i}`,
        value_env: "BENCH_VALUE",
      };
    }
    dir.write({
      terraform: { required_providers: { ghsecrets: { source: PROVIDER_SOURCE } } },
      provider: {
        ghsecrets: {
          base_url: emulator.url,
          write_delay_ms: 0,
          ...(MODE === "keyed" ? { fingerprint_key_env: "BENCH_FINGERPRINT_KEY" } : {}),
        },
      },
      resource: { ghsecrets_environment_secret: resource },
    });
    writeProviderMirror(dir.dir, { platforms: [platform()], bundlePath: out });
    await dir.run(["init"]);
    if (OPERATION === "plan") await dir.run(["apply", "-auto-approve"]);
    // node refuses --cpu-prof in NODE_OPTIONS: the launcher runs this wrapper as its node instead.
    const wrapper = join(profiles, "..", `node-cpu-prof-${process.pid}.sh`);
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexec "${process.execPath}" --cpu-prof --cpu-prof-dir="${profiles}" "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    let elapsedMs;
    try {
      const command = OPERATION === "plan" ? ["plan", "-detailed-exitcode"] : ["apply", "-auto-approve"];
      ({ elapsedMs } = await dir.run(command, { [NODE_OVERRIDE_ENV]: wrapper }));
    } finally {
      rmSync(wrapper, { force: true });
    }

    // The busiest provider process is the plan walk's (refresh + plan of every resource).
    const parsed = readdirSync(profiles).map((f) => JSON.parse(readFileSync(join(profiles, f), "utf8")));
    const busiest = parsed
      .map((p) => ({ p, busy: total(p, (n) => n.callFrame.functionName !== "(idle)") }))
      .sort((a, b) => b.busy - a.busy)[0].p;
    const wall = (busiest.endTime - busiest.startTime) / 1000;
    const byArea = new Map();
    const byFunction = new Map();
    const dt = selfTimes(busiest);
    for (const node of busiest.nodes) {
      const t = dt.get(node.id) ?? 0;
      if (!t) continue;
      const area = areaOf(node, sources);
      byArea.set(area, (byArea.get(area) ?? 0) + t);
      const { functionName, lineNumber } = node.callFrame;
      const key = `${functionName || "(anonymous)"}  [${area}${node.callFrame.url.endsWith("ghsecrets-provider.cjs") ? `:${lineNumber + 1}` : ""}]`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + t);
    }
    const busy = [...byArea].filter(([a]) => a !== "idle").reduce((s, [, t]) => s + t, 0);
    console.log(
      `${OPERATION === "plan" ? "no-op plan" : "apply creating every secret"}, ${SECRETS} secrets over ${ENVIRONMENTS} environments, ${MODE} fingerprints: terraform ${OPERATION === "plan" ? "plan" : "apply"} ${(elapsedMs / 1000).toFixed(2)} s; ` +
        `${parsed.length} provider processes; the busiest lived ${(wall / 1000).toFixed(2)} s, on CPU ${(busy / 1000).toFixed(2)} s ` +
        `(${(busy / SECRETS).toFixed(2)} ms per secret)\n`,
    );
    const perProcess = parsed
      .sort((a, b) => a.startTime - b.startTime)
      .map(
        (p) =>
          `${(total(p, (n) => n.callFrame.functionName !== "(idle)") / 1000).toFixed(2)} s of ${((p.endTime - p.startTime) / 1e6).toFixed(2)} s`,
      );
    console.log(`provider processes in start order, CPU of lifetime: ${perProcess.join("; ")}\n`);
    console.log("| area | ms | per secret | share of CPU |\n|---|---|---|---|");
    for (const [area, t] of [...byArea]
      .sort((a, b) => b[1] - a[1])
      .filter(([a]) => a !== "idle")
      .slice(0, TOP)) {
      console.log(
        `| ${area} | ${t.toFixed(0)} | ${(t / SECRETS).toFixed(3)} ms | ${((100 * t) / busy).toFixed(1)}% |`,
      );
    }
    console.log(`\nheaviest functions (self time):`);
    for (const [fn, t] of [...byFunction]
      .filter(([f]) => !f.startsWith("(idle)"))
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)) {
      console.log(`  ${t.toFixed(0).padStart(6)} ms  ${fn}`);
    }
  } finally {
    dir.remove();
    rmSync(profiles, { recursive: true, force: true });
    await emulator.stop();
  }
}

/** Self time per node id in ms, from the sample stream. */
function selfTimes(profile) {
  const times = new Map();
  profile.samples.forEach((id, i) => {
    const delta = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    times.set(id, (times.get(id) ?? 0) + delta);
  });
  return times;
}

function total(profile, keep) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  let sum = 0;
  for (const [id, t] of selfTimes(profile)) if (keep(byId.get(id))) sum += t;
  return sum;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
