/** Milliseconds since the epoch; injectable so tests can move time without waiting. */
export type Clock = () => number;

/** Whole seconds since the epoch: GitHub's timestamps carry no sub-second part. */
export function epochSeconds(clock: Clock): number {
  return Math.floor(clock() / 1000);
}

/** ISO 8601 in GitHub's form, e.g. "2024-01-02T03:04:05Z". */
export function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
