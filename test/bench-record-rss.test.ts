/**
 * bench/record-rss.cjs reports the peak RSS of the provider process itself. Linux keeps
 * getrusage's maxRSS across fork and exec, so a child started by a large parent (Terraform at
 * 1,000 resources: 160 MiB) would report the parent's size as its own.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const RECORDER = resolve(__dirname, "..", "bench", "record-rss.cjs");
const PARENT_MIB = 300;

test("the recorded peak is the child's own, not its larger parent's", async () => {
  const dir = mkdtempSync(join(tmpdir(), "record-rss-"));
  const file = join(dir, "rss.jsonl");
  // A parent this large, touched page by page, then a small node child that records its peak.
  const ballast = Buffer.alloc(PARENT_MIB * 1024 * 1024, 1);
  try {
    await promisify(execFile)(process.execPath, ["-e", "0"], {
      env: { ...process.env, NODE_OPTIONS: `--require=${RECORDER}`, BENCH_RSS_FILE: file },
      timeout: 30_000,
    });
    const [record] = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const mib = record.maxRssKiB / 1024;
    expect(ballast[ballast.length - 1]).toBe(1);
    expect(mib).toBeGreaterThan(10);
    expect(mib).toBeLessThan(PARENT_MIB / 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
