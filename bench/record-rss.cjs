// Loaded into each provider process with NODE_OPTIONS=--require: appends the process's peak RSS
// (resourceUsage().maxRSS, KiB) to the file named by BENCH_RSS_FILE when it exits.
const { appendFileSync } = require("node:fs");
const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    appendFileSync(
      file,
      `${JSON.stringify({ pid: process.pid, maxRssKiB: process.resourceUsage().maxRSS })}\n`,
    );
  });
}
