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

/**
 * A lifecycle talking to the emulator as a fresh provider process would (empty caches), with no
 * write pacing and fast 5xx back-off unless `options` say otherwise.
 */
export function lifecycleFor(
  emulator: GithubEmulator,
  options: Partial<ClientOptions> & { token?: string } = {},
) {
  const { token = emulator.token, ...rest } = options;
  const client = new EnvironmentSecretsClient({
    credentials: { kind: "token", token },
    baseUrl: emulator.url,
    writeDelayMs: 0,
    ...rest,
    retry: { retryBaseMs: 10, ...rest.retry },
  });
  return { client, lifecycle: new EnvironmentSecretLifecycle(client) };
}

/** An emulator with `acme/api` and its environments, and a lifecycle that records its log. */
export async function startFixture() {
  const emulator = await GithubEmulator.start({ repositories: { "acme/api": ENVIRONMENTS } });
  const logger = recordingLogger();
  return { emulator, logger, ...lifecycleFor(emulator, { logger }) };
}
