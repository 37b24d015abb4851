import { readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { parseCommandArgs } from "../cli/command-args";
import { countsLine, renderMarkdown } from "./markdown";
import { type PlanJson, parsePlanJson, PlanInputError } from "./plan-json";
import { deletesSomething, planChanges } from "./secret-changes";

export const PLAN_REPORT_USAGE = `usage: cdktf-github-secrets plan-report [--json] [--fail-on-delete] [<plan.json>...]

Reads \`terraform show -json <planfile>\` output (files, one per stack, or stdin when none or "-")
and prints a Markdown review of the environment secrets the plan changes: names, actions and value
sources, never a value.

  --json            the same rows as JSON, for other tools
  --fail-on-delete  exit 3 when a secret would be deleted (a delete, or a replace)

Exit status: 0 report printed, 1 unreadable input, 2 bad arguments, 3 deletion with --fail-on-delete.`;

/** Exit status when `--fail-on-delete` finds a deletion: apart from errors (1) and usage (2). */
export const EXIT_DELETES = 3;

export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => string;
}

/** The stack a plan file belongs to: its name, or its directory's for a generic `plan.json`. */
function stackLabel(path: string): string {
  const name = basename(path).replace(/\.json$/i, "");
  return /^(tf)?plan$/i.test(name) ? basename(dirname(path)) || name : name;
}

function readPlans(files: readonly string[], io: CommandIo): Array<{ stack: string; plan: PlanJson }> {
  if (files.length === 0) files = ["-"];
  return files.map((file) => {
    if (file === "-") return { stack: "stdin", plan: parsePlanJson(io.readStdin(), "standard input") };
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(error);
      throw new PlanInputError(file, reason);
    }
    return { stack: stackLabel(file), plan: parsePlanJson(text, file) };
  });
}

/** `cdktf-github-secrets plan-report ...`; returns the exit status. */
export function planReportCommand(argv: readonly string[], io: CommandIo): number {
  const parsed = parseCommandArgs(
    {
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        "fail-on-delete": { type: "boolean", default: false },
      },
    },
    PLAN_REPORT_USAGE,
    io,
  );
  if (typeof parsed === "number") return parsed;
  let plans;
  try {
    plans = readPlans(parsed.positionals, io);
  } catch (error) {
    if (error instanceof PlanInputError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const changes = planChanges(plans);
  const stacks = plans.map((p) => p.stack);
  if (parsed.values.json) {
    io.stdout(`${JSON.stringify({ summary: countsLine(changes), ...changes }, null, 2)}\n`);
  } else {
    io.stdout(renderMarkdown(changes, stacks));
  }
  if (parsed.values["fail-on-delete"] && deletesSomething(changes)) {
    io.stderr("plan-report: the plan deletes environment secrets (--fail-on-delete)\n");
    return EXIT_DELETES;
  }
  return 0;
}
