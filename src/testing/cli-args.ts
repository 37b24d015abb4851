import { parseArgs } from "node:util";

/** Parsed command line of `cdktf-github-secrets-emulator`. */
export interface CliArgs {
  help: boolean;
  port: number;
  tokens: string[];
  repositories: Record<string, string[]>;
}

export const USAGE = `Usage: cdktf-github-secrets-emulator [options]

Runs an offline emulator of GitHub's REST API for Actions environment secrets on 127.0.0.1.

Options:
  --port N           port to listen on (default 0: a free port)
  --token T          accept this token (repeatable); without any, one is generated and printed
  --repo owner/name  create a repository (repeatable)
  --env NAME         create an environment in the last --repo (repeatable)
  --help             show this help

Prints GITHUB_API_URL=<url> (and GITHUB_TOKEN=<token> for a generated token) on stdout,
then serves until SIGINT or SIGTERM.
`;

/** A mistake on the command line; the message says what is wrong. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliUsageError";
  }
}

/**
 * Parses the arguments after `node cli.js` (`--flag value` and `--flag=value`) with node's
 * util.parseArgs; its tokens keep the order, which says which --repo an --env belongs to.
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let tokens;
  try {
    ({ tokens } = parseArgs({
      args: [...argv],
      strict: true,
      tokens: true,
      options: {
        help: { type: "boolean", short: "h" },
        port: { type: "string" },
        token: { type: "string", multiple: true },
        repo: { type: "string", multiple: true },
        env: { type: "string", multiple: true },
      },
    }));
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const args: CliArgs = { help: false, port: 0, tokens: [], repositories: {} };
  let lastRepo: string | undefined;
  for (const token of tokens) {
    if (token.kind !== "option") continue; // strict mode already refused positionals
    const flag = `--${token.name}`;
    const value = token.value ?? "";
    switch (token.name) {
      case "help":
        args.help = true;
        break;
      case "port": {
        const port = Number(value);
        if (!/^\d+$/.test(value) || port > 65535)
          throw new CliUsageError(`--port must be a number from 0 to 65535`);
        args.port = port;
        break;
      }
      case "token":
        args.tokens.push(nonEmpty(flag, value));
        break;
      case "repo":
        if (!/^[^/\s]+\/[^/\s]+$/.test(value)) {
          throw new CliUsageError(`--repo must look like owner/name, got "${value}"`);
        }
        args.repositories[value] ??= [];
        lastRepo = value;
        break;
      case "env":
        if (lastRepo === undefined) throw new CliUsageError("--env must follow a --repo");
        args.repositories[lastRepo].push(nonEmpty(flag, value));
        break;
    }
  }
  return args;
}

function nonEmpty(flag: string, value: string): string {
  if (value.length === 0) throw new CliUsageError(`${flag} must not be empty`);
  return value;
}
