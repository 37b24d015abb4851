/** A request as it reached the emulator: the path exactly as sent, before any decoding. */
export interface ReceivedRequest {
  method: string;
  /** The raw request path, without the query string, e.g. "/repos/acme/api/environments/a%2Fb/secrets". */
  path: string;
}

/** How many requests {@link RequestLog.receivedRequests} keeps (the most recent ones). */
const RECEIVED_LOG_SIZE = 1000;

/** What the emulator saw: requests per route (for API-budget assertions) and the last raw paths. */
export class RequestLog {
  private readonly counts = new Map<string, number>();
  private readonly received: ReceivedRequest[] = [];

  /** A request as it arrived, known route or not. */
  receive(method: string, path: string): void {
    this.received.push({ method, path });
    if (this.received.length > RECEIVED_LOG_SIZE) this.received.shift();
  }

  /** One more request of a known route, keyed "METHOD template". */
  count(method: string, template: string): void {
    const key = `${method} ${template}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  requestCounts(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  receivedRequests(): ReceivedRequest[] {
    return this.received.map((r) => ({ ...r }));
  }

  reset(): void {
    this.counts.clear();
    this.received.length = 0;
  }
}
