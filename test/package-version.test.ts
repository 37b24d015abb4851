import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

// The version in package.json changes with every release; a test that spells it out breaks then
// for no reason. Tests read it (require("../package.json").version, or packageVersion() of src/mirror).

const { version } = require("../package.json") as { version: string };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    // Installed packages are not ours: .ci/run installs the cdktf CLI under test/slow/cdktf-cli, and
    // one of its files spells out a version that may equal ours (it failed `npm test` after .ci/run).
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(path);
    return /\.[cm]?[jt]s$/.test(entry.name) ? [path] : [];
  });
}

test("no test spells out the package version", () => {
  const quoted = new RegExp(`["'\`]v?${version.replace(/\./g, "\\.")}["'\`]`);
  const offenders = sourceFiles(__dirname)
    .filter((file) => quoted.test(readFileSync(file, "utf8")))
    .map((file) => relative(__dirname, file));
  expect(offenders).toEqual([]);
  expect(sourceFiles(__dirname).length).toBeGreaterThan(20); // the walk did find the tests
});
