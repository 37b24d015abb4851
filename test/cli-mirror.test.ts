/** `cdktf-github-secrets mirror`: usage and platform errors, with their exit codes. */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT as ROOT } from "./helpers/terraform";

const run = promisify(execFile);
const tmpRoot = mkdtempSync(join(tmpdir(), "ghsecrets-cli-mirror-"));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

describe("cdktf-github-secrets CLI", () => {
  const cli = (args: string[]) =>
    run(process.execPath, ["--import", "tsx", join(ROOT, "src/cli.ts"), ...args], { cwd: ROOT }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );

  test("usage errors exit 2, invalid platforms exit 1 with the reason", async () => {
    const usage = await cli([]);
    expect(usage.code).toBe(2);
    expect(usage.out).toMatch(/usage: cdktf-github-secrets mirror <terraform working directory>/);
    const bad = await cli(["mirror", join(tmpRoot, "cli"), "--platform", "linux"]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/invalid platform "linux"/);
  }, 20_000);
});
