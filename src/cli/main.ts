import { PLAN_REPORT_USAGE, planReportCommand, type CommandIo } from "../report";
import { IMPORT_USAGE, runImport } from "./import-command";
import { MIRROR_USAGE, runMirror } from "./mirror-command";

/** Every command's usage, for `<command> --help` and `help <command>`. */
const COMMAND_USAGE: Record<string, string> = {
  mirror: MIRROR_USAGE,
  "plan-report": PLAN_REPORT_USAGE,
  import: IMPORT_USAGE,
};

/** The first line of every command's usage, then how to learn more. */
export const USAGE = [
  ...Object.values(COMMAND_USAGE).map(
    (usage, i) => `${i === 0 ? "usage: " : "       "}${usage.split("\n")[0].replace(/^usage: /, "")}`,
  ),
  "",
  "  mirror       write the bundled Terraform provider into <dir>/terraform.d/plugins (for HCL users)",
  "  plan-report  review the environment secrets a Terraform plan changes (names only, never values)",
  "  import       print the code that adopts secrets that already exist",
  "",
  "`cdktf-github-secrets <command> --help` (or `help <command>`) describes a command's options.",
].join("\n");

/** `cdktf-github-secrets <command> ...`; resolves to the exit status (2: a usage error). */
export async function runCli(argv: readonly string[], io: CommandIo, env = process.env): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "mirror":
      return runMirror(rest, io);
    case "plan-report":
      return planReportCommand(rest, io);
    case "import":
      return runImport(rest, io.stdout, io.stderr, env);
    case "help":
    case "--help":
    case "-h": {
      const topic = rest[0] === undefined ? undefined : COMMAND_USAGE[rest[0]];
      io.stdout(`${topic ?? USAGE}\n`);
      return 0;
    }
    case undefined:
      io.stderr(`a command is missing\n${USAGE}\n`);
      return 2;
    default:
      io.stderr(`unknown command "${command}": use mirror, plan-report or import\n${USAGE}\n`);
      return 2;
  }
}
