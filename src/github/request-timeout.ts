import type { Octokit } from "@octokit/core" with { "resolution-mode": "import" };

/** Set on the error of an attempt that got no answer in time (Octokit's RequestError, status 500). */
export const TIMED_OUT_AFTER_MS = "timedOutAfterMs";

/**
 * Shared by every request of one client: set once a request got no answer on any attempt, after
 * which no further request is sent (see NoAnswerError).
 */
export interface NoAnswerBreaker {
  reason?: string;
}

/** Set on the error of a request not sent because the breaker is open: the earlier failure's reason. */
export const NOT_SENT = "notSentBecause";

/** Set on every failed attempt: which one it was (1 for the first), and the API root it went to. */
export const ATTEMPT = "attempt";
export const BASE_URL = "baseUrl";

/** The error an attempt ends with (Octokit's RequestError), as far as this hook and translateError read it. */
export interface AttemptFailure {
  status?: number;
  message: string;
  [TIMED_OUT_AFTER_MS]?: number;
  [ATTEMPT]?: number;
  [BASE_URL]?: string;
}

/**
 * Bounds each HTTP attempt: Octokit sets no timeout, so a GitHub (or proxy) that accepts the
 * connection and never answers would hold a Terraform run forever. Registered first, this wraps
 * the innermost call, so every retry gets a fresh allowance and queueing for pacing is not counted.
 * A timed-out attempt fails with status 500, which the retry plugin retries (bounded).
 *
 * The timer is ours and cleared when the attempt ends. Not `AbortSignal.timeout` combined with
 * `AbortSignal.any`: on Node 20 the combined signal holds its sources weakly, and a collected
 * timeout signal never fires (measured: a stalled request under forced GC waited forever).
 *
 * Octokit's hooks share one options object per call (bound, not passed), so the signal is set on
 * it; the caller's own signal is remembered per call, or a retry would inherit the expired one.
 */
export function timeoutEachRequest(timeoutMs: number, breaker: NoAnswerBreaker) {
  const callerSignals = new WeakMap<object, AbortSignal | undefined>();
  return (octokit: Octokit): void => {
    octokit.hook.wrap("request", async (request, options) => {
      // No status: neither the retry nor the throttling plugin acts on it.
      if (breaker.reason) throw Object.assign(new Error(breaker.reason), { [NOT_SENT]: breaker.reason });
      const settings = (options.request ??= {}) as { signal?: AbortSignal };
      if (!callerSignals.has(options)) callerSignals.set(options, settings.signal);
      const caller = callerSignals.get(options);

      const attempt = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        attempt.abort(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const onCallerAbort = () => attempt.abort(caller!.reason);
      if (caller?.aborted) onCallerAbort();
      else caller?.addEventListener("abort", onCallerAbort, { once: true });
      settings.signal = attempt.signal;
      try {
        return await request(options);
      } catch (error) {
        const failure = error as AttemptFailure;
        // The retry plugin counts retries on the shared options; the first attempt has none.
        failure[ATTEMPT] = ((options.request as { retryCount?: number }).retryCount ?? 0) + 1;
        failure[BASE_URL] = (options as { baseUrl?: string }).baseUrl;
        if (timedOut) {
          failure.status = 500;
          failure.message = `no answer within ${formatDuration(timeoutMs)}`;
          failure[TIMED_OUT_AFTER_MS] = timeoutMs;
        } else if (caller?.aborted) {
          // Cancelled by the caller: not a server failure, so no plugin retries it.
          delete failure.status;
        }
        throw error;
      } finally {
        clearTimeout(timer);
        caller?.removeEventListener("abort", onCallerAbort);
      }
    });
  };
}

/** "30 s", "0.3 s": how the timeout is named in messages. */
export function formatDuration(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
