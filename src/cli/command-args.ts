import { parseArgs, type ParseArgsConfig } from "node:util";

/** Where a command writes: its result to `stdout`, usage errors to `stderr`. */
export interface UsageOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The options every command takes besides its own: `--help` / `-h`. */
const HELP = { help: { type: "boolean", short: "h" } } as const;

type WithHelp<C extends ParseArgsConfig> = C & { options: C["options"] & typeof HELP };

/**
 * util.parseArgs for one command, with the behaviour all commands share: an unknown option or a
 * missing value prints node's message and the usage on stderr (exit 2); `--help` prints the usage on
 * stdout (exit 0). Returns the parsed arguments, or the exit status when the command is done.
 */
export function parseCommandArgs<C extends ParseArgsConfig>(
  config: C,
  usage: string,
  io: UsageOutput,
): ReturnType<typeof parseArgs<WithHelp<C>>> | number {
  let parsed;
  try {
    parsed = parseArgs({ ...config, options: { ...config.options, ...HELP } });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout(`${usage}\n`);
    return 0;
  }
  return parsed;
}
