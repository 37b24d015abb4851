// Loaded into each provider process with NODE_OPTIONS=--require: appends the process's peak RSS
// (KiB) to the file named by BENCH_RSS_FILE when it exits.
//
// On Linux the peak is VmHWM from /proc/self/status, the high-water mark of this process's own
// memory. Not resourceUsage().maxRSS: Linux carries it across fork and exec, so a provider started
// by Terraform reported Terraform's size whenever that was larger (162 MiB for an apply changing
// 1,000 secrets, while the provider itself never passed 106 MiB). Elsewhere maxRSS is all there is.
const { appendFileSync, readFileSync } = require("node:fs");
const file = process.env.BENCH_RSS_FILE;

function peakRssKiB() {
  try {
    const hwm = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (hwm) return Number(hwm[1]);
  } catch {
    // No procfs: not Linux.
  }
  return process.resourceUsage().maxRSS;
}

if (file) {
  process.on("exit", () => {
    appendFileSync(file, `${JSON.stringify({ pid: process.pid, maxRssKiB: peakRssKiB() })}\n`);
  });
}
