/**
 * The Terraform version check that .ci/run runs before installing anything and that every
 * real-Terraform test runs before its first terraform command (scripts/terraform-version.cjs):
 * a missing, silent or too old terraform fails with what to install; 1.11 and later pass.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./helpers/terraform";
import { useTestTmp } from "./helpers/test-tmp";

const tmp = useTestTmp("terraform-version");
const SCRIPT = join(REPO_ROOT, "scripts", "terraform-version.cjs");

/** Runs the check as .ci/run does, with only `bin` on PATH (node by its absolute path). */
function checkWith(bin: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [SCRIPT], {
    env: { PATH: bin },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A folder whose `terraform` prints `output` for `terraform version -json`. */
function fakeTerraform(name: string, output: string): string {
  const bin = join(tmp, name);
  mkdirSync(bin, { recursive: true });
  // Only the shell's builtins: PATH holds nothing but this folder.
  writeFileSync(join(bin, "terraform"), `#!/bin/sh\necho '${output}'\n`);
  chmodSync(join(bin, "terraform"), 0o755);
  return bin;
}

const HINT = /install Terraform >= 1\.11 .*e\.g\. 1\.11\.4/;

test("no terraform on PATH: exit 1, saying what to install", () => {
  const empty = join(tmp, "empty");
  mkdirSync(empty, { recursive: true });
  const { code, stdout, stderr } = checkWith(empty);
  expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
  expect(stderr).toMatch(/^error: terraform was not found on PATH/);
  expect(stderr).toMatch(HINT);
});

test("a terraform that answers no version: exit 1, saying what to install", () => {
  const { code, stderr } = checkWith(fakeTerraform("silent", "not json"));
  expect(code).toBe(1);
  expect(stderr).toMatch(HINT);
});

test.each(["1.10.5", "0.15.5"])("Terraform %s: too old, exit 1 naming the version found", (version) => {
  const { code, stderr } = checkWith(
    fakeTerraform(`v${version}`, JSON.stringify({ terraform_version: version })),
  );
  expect(code).toBe(1);
  expect(stderr).toContain(`Terraform ${version} is too old`);
  expect(stderr).toMatch(HINT);
});

test.each(["1.11.0", "1.14.2", "2.0.0"])("Terraform %s passes and is printed", (version) => {
  const { code, stdout } = checkWith(
    fakeTerraform(`v${version}`, JSON.stringify({ terraform_version: version })),
  );
  expect({ code, stdout }).toEqual({ code: 0, stdout: `${version}\n` });
});

test(".ci/run checks Terraform with this script before installing anything", () => {
  const ci = require("node:fs").readFileSync(join(REPO_ROOT, ".ci", "run"), "utf8") as string;
  const check = ci.indexOf("node scripts/terraform-version.cjs");
  expect(check).toBeGreaterThan(0);
  expect(check).toBeLessThan(ci.indexOf("npm ci"));
});
