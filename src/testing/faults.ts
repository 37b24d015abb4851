/** Which requests a fault applies to. Both fields are optional; an absent field matches anything. */
export interface FaultMatch {
  /** HTTP method, e.g. "PUT" (case-insensitive). */
  method?: string;
  /** Route template, e.g. "/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}". */
  route?: string;
}

interface FaultCommon {
  /** How many matching requests this fault affects (default 1; `Infinity` for all). */
  count?: number;
  match?: FaultMatch;
}

/** Answer with this status and a GitHub-style error body instead of handling the request. */
export interface StatusFault extends FaultCommon {
  kind: "status";
  status: number;
  message?: string;
}

/** Destroy the connection without any response (the client sees a network error). */
export interface DropFault extends FaultCommon {
  kind: "drop";
}

/** Wait this long, then handle the request normally. */
export interface DelayFault extends FaultCommon {
  kind: "delay";
  ms: number;
}

/** 403 with `retry-after` and GitHub's "secondary rate limit" message. */
export interface SecondaryRateLimitFault extends FaultCommon {
  kind: "secondaryRateLimit";
  retryAfter: number;
}

/** 429 with `retry-after`. */
export interface RateLimit429Fault extends FaultCommon {
  kind: "rateLimit429";
  retryAfter: number;
  message?: string;
}

/** 403 with `x-ratelimit-remaining: 0` and `x-ratelimit-reset` this many seconds ahead (primary limit). */
export interface PrimaryRateLimitFault extends FaultCommon {
  kind: "primaryRateLimit";
  resetAfter: number;
}

/**
 * Something GitHub's side does at an awkward moment: just before the matched request is handled,
 * rotate the key of the environment in its path, or delete that environment. Then the request is
 * handled normally (and sees the change). Requests without an environment in their path are unaffected.
 */
export interface EnvironmentChangeFault extends FaultCommon {
  kind: "rotateKey" | "removeEnvironment";
}

export type Fault =
  | EnvironmentChangeFault
  | StatusFault
  | DropFault
  | DelayFault
  | SecondaryRateLimitFault
  | RateLimit429Fault
  | PrimaryRateLimitFault;

interface QueuedFault {
  fault: Fault;
  remaining: number;
}

/** Faults waiting to be applied, consumed first-in first-out by the requests they match. */
export class FaultQueue {
  private queue: QueuedFault[] = [];

  add(fault: Fault): void {
    const remaining = fault.count ?? 1;
    if (!(remaining > 0)) throw new Error("A fault's count must be a positive number");
    this.queue.push({ fault, remaining });
  }

  clear(): void {
    this.queue = [];
  }

  /** How many fault applications are still pending (Infinity if any fault is unbounded). */
  pending(): number {
    return this.queue.reduce((sum, q) => sum + q.remaining, 0);
  }

  /** The fault for this request, if any, counting it as used. */
  take(method: string, route: string): Fault | undefined {
    const index = this.queue.findIndex((q) => matches(q.fault.match, method, route));
    if (index < 0) return undefined;
    const entry = this.queue[index];
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.queue.splice(index, 1);
    return entry.fault;
  }
}

function matches(match: FaultMatch | undefined, method: string, route: string): boolean {
  if (!match) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== method) return false;
  if (match.route !== undefined && match.route !== route) return false;
  return true;
}
