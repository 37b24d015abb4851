import type { Octokit } from "@octokit/core" with { "resolution-mode": "import" };
import type { Logger } from "./logger";
import type { RetryPolicy } from "./octokit";

interface Failure {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
  [RATE_LIMIT]?: RateLimitOutcome;
}

/** Set on the final error of a rate-limited call, for translateError to say what happened. */
export const RATE_LIMIT = "rateLimit";

/** How a rate-limited call ended: how long GitHub asked to wait (undefined: it did not say), against the bounds. */
export interface RateLimitOutcome {
  readonly askedSeconds?: number;
  readonly allowedSeconds: number;
  readonly maxWaits: number;
}

/** The wait GitHub asked for: `retry-after`, or the primary limit's reset time from now. */
function askedWaitSeconds(failure: Failure): number | undefined {
  const headers = failure.response?.headers ?? {};
  const retryAfter = Number(headers["retry-after"]);
  if (headers["retry-after"] !== undefined && Number.isFinite(retryAfter)) return retryAfter;
  const reset = Number(headers["x-ratelimit-reset"]);
  if (String(headers["x-ratelimit-remaining"]) === "0" && Number.isFinite(reset)) {
    return Math.max(0, Math.ceil(reset - Date.now() / 1000));
  }
  return undefined;
}

function isRateLimit(failure: Failure): boolean {
  if (failure.status === 429) return true;
  const headers = failure.response?.headers ?? {};
  return (
    failure.status === 403 &&
    (/rate limit/i.test(failure.message ?? "") || String(headers["x-ratelimit-remaining"]) === "0")
  );
}

function sleep(ms: number, signal: AbortSignal | undefined | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Outermost hook: sees the final error of every call. Marks a rate-limit failure with what GitHub
 * asked for and the bounds that stopped the waiting, and waits out a 429 that carries `retry-after` but neither GitHub's "secondary rate limit" wording
 * nor `x-ratelimit-remaining: 0`. The throttling plugin retries only those two shapes and the
 * retry plugin ignores `retry-after`, so without this such a 429 would fail at once.
 * Hand-written because no Octokit plugin covers it; bounded by the same policy as the others.
 */
export function waitOutPlain429(policy: RetryPolicy, logger: Logger) {
  return (octokit: Octokit): void => {
    octokit.hook.wrap("request", async (request, options) => {
      for (let waits = 0; ; waits++) {
        try {
          return await request(options);
        } catch (error) {
          const failure = error as Failure;
          if (isRateLimit(failure)) {
            failure[RATE_LIMIT] = {
              askedSeconds: askedWaitSeconds(failure),
              allowedSeconds: policy.maxRateLimitWaitSeconds,
              maxWaits: policy.maxRateLimitWaits,
            };
          }
          const headers = failure.response?.headers ?? {};
          const retryAfter = Number(headers["retry-after"]);
          const handledElsewhere =
            /secondary rate/i.test(failure.message ?? "") || String(headers["x-ratelimit-remaining"]) === "0";
          if (
            failure.status !== 429 ||
            handledElsewhere ||
            !Number.isFinite(retryAfter) ||
            waits >= policy.maxRateLimitWaits ||
            retryAfter > policy.maxRateLimitWaitSeconds
          ) {
            throw error;
          }
          logger.warn(`GitHub answered 429: waiting ${retryAfter}s before retrying`, {
            route: `${options.method} ${options.url}`,
          });
          await sleep(
            Math.max(0, retryAfter) * policy.rateLimitUnitMs,
            (options.request as { signal?: AbortSignal } | undefined)?.signal,
          );
        }
      }
    });
  };
}
