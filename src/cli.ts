#!/usr/bin/env node
/**
 * cdktf-github-secrets mirror <dir> [--platform <os_arch>]...
 * cdktf-github-secrets plan-report [--json] [--fail-on-delete] [<plan.json>...]
 *
 * For plain HCL users (cdktf stacks get the mirror at synth time): copies the bundled
 * Terraform provider into <dir>/terraform.d/plugins so `terraform init` finds it offline.
 *
 * cdktf-github-secrets import --repository <owner/name> --environment <name>... [--hcl]
 *
 * Prints the code that adopts the secrets that already exist (src/cli/import-command.ts).
 */
import { relative } from "node:path";
import { readFileSync } from "node:fs";
import { IMPORT_USAGE, runImport } from "./cli/import-command";
import { requiredProvidersSnippet, writeProviderMirror } from "./mirror";
import { planReportCommand } from "./report";

const USAGE = [
  "usage: cdktf-github-secrets mirror <terraform working directory> [--platform <os>_<arch>]...",
  "       cdktf-github-secrets plan-report [--json] [--fail-on-delete] [<plan.json>...]",
].join("\n");

function main(argv: string[]): number | Promise<number> {
  const [command, ...rest] = argv;
  if (command === "import") {
    return runImport(
      rest,
      (text) => process.stdout.write(text),
      (text) => process.stderr.write(text),
    );
  }
  if (command === "plan-report") {
    return planReportCommand(rest, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      readStdin: () => readFileSync(0, "utf8"),
    });
  }
  if (command !== "mirror") {
    process.stderr.write(`${USAGE}\n${IMPORT_USAGE}\n`);
    return command === "--help" || command === "-h" ? 0 : 2;
  }
  let dir: string | undefined;
  const platforms: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--platform" && rest[i + 1]) platforms.push(rest[++i]);
    else if (!dir && !rest[i].startsWith("-")) dir = rest[i];
    else {
      process.stderr.write(`unexpected argument "${rest[i]}"\n${USAGE}\n`);
      return 2;
    }
  }
  if (!dir) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const result = writeProviderMirror(dir, platforms.length > 0 ? { platforms } : {});
  process.stdout.write(`Wrote provider ${result.source} ${result.version} for:\n`);
  for (const written of result.directories)
    process.stdout.write(`  ${relative(process.cwd(), written) || "."}\n`);
  process.stdout.write(`\nDeclare it in your configuration:\n\n${requiredProvidersSnippet(result.version)}`);
  return 0;
}

Promise.resolve()
  .then(() => main(process.argv.slice(2)))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
