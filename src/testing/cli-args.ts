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

/** Parses the arguments after `node cli.js`; accepts `--flag value` and `--flag=value`. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { help: false, port: 0, tokens: [], repositories: {} };
  let lastRepo: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith("--") && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new CliUsageError(`${flag} needs a value`);
      i++;
      return next;
    };
    switch (flag) {
      case "--help":
      case "-h":
        args.help = true;
        break;
      case "--port": {
        const raw = value();
        const port = Number(raw);
        if (!/^\d+$/.test(raw) || port > 65535)
          throw new CliUsageError(`--port must be a number from 0 to 65535`);
        args.port = port;
        break;
      }
      case "--token":
        args.tokens.push(nonEmpty(flag, value()));
        break;
      case "--repo": {
        const repo = value();
        if (!/^[^/\s]+\/[^/\s]+$/.test(repo))
          throw new CliUsageError(`--repo must look like owner/name, got "${repo}"`);
        args.repositories[repo] ??= [];
        lastRepo = repo;
        break;
      }
      case "--env": {
        const env = nonEmpty(flag, value());
        if (lastRepo === undefined) throw new CliUsageError("--env must follow a --repo");
        args.repositories[lastRepo].push(env);
        break;
      }
      default:
        throw new CliUsageError(`Unknown argument "${flag}"`);
    }
  }
  return args;
}

function nonEmpty(flag: string, value: string): string {
  if (value.length === 0) throw new CliUsageError(`${flag} must not be empty`);
  return value;
}
