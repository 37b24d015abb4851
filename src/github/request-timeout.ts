import type { Octokit } from "@octokit/core" with { "resolution-mode": "import" };

/**
 * Bounds each HTTP attempt: Octokit sets no timeout, so a GitHub (or proxy) that accepts the
 * connection and never answers would hold a Terraform run forever. Registered first, this wraps
 * the innermost call, so every retry gets a fresh allowance and queueing for pacing is not counted.
 * A timed-out attempt surfaces as a 500-like failure, which the retry plugin retries (bounded).
 *
 * Octokit's hooks share one options object per call (bound, not passed), so the signal is set on
 * it; the caller's own signal is remembered per call, or a retry would inherit the expired one.
 */
export function timeoutEachRequest(timeoutMs: number) {
  const callerSignals = new WeakMap<object, AbortSignal | undefined>();
  return (octokit: Octokit): void => {
    octokit.hook.wrap("request", (request, options) => {
      const settings = (options.request ??= {}) as { signal?: AbortSignal };
      if (!callerSignals.has(options)) callerSignals.set(options, settings.signal);
      const caller = callerSignals.get(options);
      const timeout = AbortSignal.timeout(timeoutMs);
      settings.signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
      return request(options);
    });
  };
}
