import { EnvironmentSecretsClient, type ClientOptions, type Logger } from "../../src/github";
import { EnvironmentSecretLifecycle } from "../../src/lifecycle";
import { GithubEmulator } from "../../src/testing";

/** Records every log line, to check that nothing secret is ever logged. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { lines, debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

export const ENVIRONMENTS = ["production", "prod/us-east", "staging env", "ünïcödé"];

/** An emulator with `acme/api` and its environments, and a client with no pacing and fast retries. */
export async function startFixture(options: Partial<ClientOptions> = {}) {
  const emulator = await GithubEmulator.start({ repositories: { "acme/api": ENVIRONMENTS } });
  const logger = recordingLogger();
  const client = new EnvironmentSecretsClient({
    credentials: { kind: "token", token: emulator.token },
    baseUrl: emulator.url,
    writeDelayMs: 0,
    retry: { retryBaseMs: 10, rateLimitUnitMs: 1000 },
    logger,
    ...options,
  });
  return { emulator, client, logger, lifecycle: new EnvironmentSecretLifecycle(client) };
}
