import { type CallSubject, GithubSecretsError } from "./errors";

/**
 * A name that cannot be sent as one path segment: `.` or `..` is resolved by every URL parser on
 * the way (fetch's own included) as "here" or "the parent", also when percent-encoded (`%2e`), so
 * the request would reach another resource — `/environments/../secrets/X` is the repository's
 * secret X. Other names, `%2e%2e` included, are encoded (`%252e%252e`) and stay one segment.
 */
export class UnsafePathSegmentError extends GithubSecretsError {}

/**
 * Percent-encodes one path segment: everything but letters, digits and `-_.~`, so `/`, `?`, `#`,
 * `%`, `:` and `{}` (which Octokit's URL templates would read as placeholders) cannot shape the path.
 */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The request path for these segments, each encoded here rather than by Octokit's route templates:
 * they leave dots alone, and what a template does to a name is not ours to guarantee. The result
 * is checked against the WHATWG URL parser that fetch uses: a path it would rewrite is never sent.
 */
export function githubPath(subject: CallSubject, segments: readonly string[]): string {
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") {
      throw new UnsafePathSegmentError(
        subject,
        0,
        `"${segment}" cannot be sent as a name in GitHub's API: a URL path segment that is empty, "." or ".." ` +
          "would address another resource; nothing was sent",
      );
    }
  }
  const path = "/" + segments.map(encodeSegment).join("/");
  if (new URL(path, "http://github.invalid").pathname !== path) {
    throw new UnsafePathSegmentError(
      subject,
      0,
      `the request path ${path} would be rewritten; nothing was sent`,
    );
  }
  return path;
}
