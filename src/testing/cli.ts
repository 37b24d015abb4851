#!/usr/bin/env node
import { CliUsageError, USAGE, parseCliArgs } from "./cli-args";
import { GithubEmulator } from "./emulator";

/** Runs the emulator until SIGINT or SIGTERM. */
export async function main(argv: readonly string[]): Promise<void> {
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    process.stderr.write(`${err.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  const generatedToken = args.tokens.length === 0;
  const emulator = await GithubEmulator.start({
    port: args.port,
    tokens: generatedToken ? undefined : args.tokens,
    repositories: args.repositories,
  });
  process.stdout.write(`GITHUB_API_URL=${emulator.url}\n`);
  // Only a generated token is printed: the user needs it, and cannot know it otherwise.
  // Tokens given with --token are never echoed.
  if (generatedToken) process.stdout.write(`GITHUB_TOKEN=${emulator.token}\n`);
  process.stderr.write("GitHub API emulator running; press Ctrl+C to stop.\n");

  const shutdown = (): void => {
    process.off("SIGINT", shutdown);
    process.off("SIGTERM", shutdown);
    void emulator.stop();
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`Emulator failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
