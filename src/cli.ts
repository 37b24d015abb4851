#!/usr/bin/env node
/**
 * The `cdktf-github-secrets` command: `mirror`, `plan-report` and `import` (src/cli/main.ts has
 * the usage; each command lives in its own file under src/cli/ or src/report/).
 */
import { readFileSync } from "node:fs";
import { runCli } from "./cli/main";

Promise.resolve()
  .then(() =>
    runCli(process.argv.slice(2), {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      readStdin: () => readFileSync(0, "utf8"),
    }),
  )
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
