import type { Octokit } from "@octokit/rest" with { "resolution-mode": "import" };
import type { Credentials } from "./credentials";
import type { Logger } from "./logger";
import { type NoAnswerBreaker, timeoutEachRequest } from "./request-timeout";
import { waitOutPlain429 } from "./retry-after";

export type GithubApi = Octokit;

/** How hard the client tries before giving up; every wait is bounded. */
export interface RetryPolicy {
  /** Retries of a 5xx answer or a dropped connection. Default 3. */
  readonly maxRetries: number;
  /** Base of the quadratic back-off for 5xx retries (1×, 4×, 9× this), in ms. Default 1000. */
  readonly retryBaseMs: number;
  /** Waits for a rate limit (secondary 403/429 with retry-after, or primary reset) before failing. Default 3. */
  readonly maxRateLimitWaits: number;
  /** The longest single rate-limit wait accepted, in seconds; a longer one fails at once. Default 900. */
  readonly maxRateLimitWaitSeconds: number;
  /** Unit of `retry-after` in ms: 1000 on GitHub. Tests lower it to keep waits short. */
  readonly rateLimitUnitMs: number;
  /** Longest wait for one HTTP answer before the attempt counts as failed (and is retried). Default 30 s. */
  readonly requestTimeoutMs: number;
}

export interface OctokitSettings {
  readonly credentials: Credentials;
  readonly baseUrl: string;
  /**
   * Minimum gap between two writes (PUT/DELETE) in ms. GitHub asks integrations to space writes by
   * about a second to stay under its secondary limits; the emulator needs none.
   */
  readonly writeDelayMs: number;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  readonly userAgent: string;
  /** Open once a request got no answer at all: nothing more is sent. */
  readonly breaker: NoAnswerBreaker;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  retryBaseMs: 1000,
  maxRateLimitWaits: 3,
  maxRateLimitWaitSeconds: 900,
  rateLimitUnitMs: 1000,
  requestTimeoutMs: 30_000,
};

/**
 * Builds an Octokit with the throttling (rate limits, write pacing) and retry (5xx, dropped
 * connections) plugins. Octokit is ESM and large: it is imported here, on first use, so the
 * provider's start-up and schema calls never load it.
 */
export async function createOctokit(settings: OctokitSettings): Promise<GithubApi> {
  const [{ Octokit }, { throttling }, { retry }, bottleneck] = await Promise.all([
    import("@octokit/rest"),
    import("@octokit/plugin-throttling"),
    import("@octokit/plugin-retry"),
    import("bottleneck/light.js"),
  ]);
  const Bottleneck = bottleneck.default;
  const { logger, retry: policy } = settings;

  const onLimit =
    (kind: string) =>
    (retryAfter: number, options: { method: string; url: string }, _: unknown, retryCount: number) => {
      const route = `${options.method} ${options.url}`;
      if (retryCount >= policy.maxRateLimitWaits || retryAfter > policy.maxRateLimitWaitSeconds) {
        logger.warn(`GitHub ${kind} rate limit: giving up`, {
          route,
          retry_after_s: retryAfter,
          waits: retryCount,
        });
        return false;
      }
      logger.warn(`GitHub ${kind} rate limit: waiting ${retryAfter}s before retrying`, {
        route,
        retry_after_s: retryAfter,
      });
      return true;
    };

  // Order matters: the first plugin's hook wraps the innermost call (one HTTP attempt).
  const RetryingOctokit = Octokit.plugin(
    timeoutEachRequest(policy.requestTimeoutMs, settings.breaker),
    throttling,
    retry,
    waitOutPlain429(policy, logger),
  );
  const common = {
    baseUrl: settings.baseUrl,
    userAgent: settings.userAgent,
    log: {
      debug: (message: string) => logger.debug(message),
      info: (message: string) => logger.debug(message),
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.error(message),
    },
    throttle: {
      onSecondaryRateLimit: onLimit("secondary"),
      onRateLimit: onLimit("primary"),
      retryAfterBaseValue: policy.rateLimitUnitMs,
      fallbackSecondaryRateRetryAfter: 60,
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: settings.writeDelayMs }),
    },
    retry: {
      retries: policy.maxRetries,
      retryAfterBaseValue: policy.retryBaseMs,
      // 403 and 429 belong to the throttling plugin, which honours retry-after.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
  };

  const credentials = settings.credentials;
  if (credentials.kind === "token") {
    return new RetryingOctokit({ ...common, auth: credentials.token });
  }
  const { createAppAuth } = await import("@octokit/auth-app");
  return new RetryingOctokit({
    ...common,
    authStrategy: createAppAuth,
    auth: {
      appId: credentials.appId,
      installationId: credentials.installationId,
      privateKey: credentials.privateKey,
    },
  });
}
