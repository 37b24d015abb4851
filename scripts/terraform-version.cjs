// Which Terraform this project needs, and what to install otherwise: written once, here. `.ci/run`
// runs this file before installing anything (`node scripts/terraform-version.cjs` prints the version
// or the error and exits 1), and the tests' Terraform runner (test/helpers/terraform.ts) calls
// requireTerraform() before its first run, so a missing Terraform fails the suites, never skips them.
const { execFileSync } = require("node:child_process");

/** Write-only attributes (a secret's `value`) need Terraform 1.11. */
const MIN_TERRAFORM = { major: 1, minor: 11 };
const INSTALL_HINT =
  "install Terraform >= 1.11 from HashiCorp's releases (e.g. 1.11.4; write-only attributes need 1.11) to run the end-to-end tests";

/**
 * The version of `terraform` on PATH; throws an Error saying what to install when it is missing,
 * does not answer, or is older than 1.11.
 * @returns {string}
 */
function requireTerraform() {
  let version;
  try {
    const out = execFileSync("terraform", ["version", "-json"], {
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 30_000,
    });
    version = JSON.parse(out).terraform_version;
  } catch {
    throw new Error(
      `terraform was not found on PATH (or did not answer \`terraform version -json\`): ${INSTALL_HINT}`,
    );
  }
  const [major, minor] = String(version).split(".").map(Number);
  if (!(major > MIN_TERRAFORM.major || (major === MIN_TERRAFORM.major && minor >= MIN_TERRAFORM.minor))) {
    throw new Error(`Terraform ${version} is too old: ${INSTALL_HINT}`);
  }
  return version;
}

module.exports = { MIN_TERRAFORM, requireTerraform };

if (require.main === module) {
  try {
    process.stdout.write(`${requireTerraform()}\n`);
  } catch (error) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(1);
  }
}
