/** Route templates as GitHub documents them; request counts and fault matching use these strings. */
export const ROUTE = {
  repository: "/repos/{owner}/{repo}",
  environments: "/repos/{owner}/{repo}/environments",
  environment: "/repos/{owner}/{repo}/environments/{environment_name}",
  secrets: "/repos/{owner}/{repo}/environments/{environment_name}/secrets",
  publicKey: "/repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key",
  secret: "/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}",
  variables: "/repos/{owner}/{repo}/environments/{environment_name}/variables",
  variable: "/repos/{owner}/{repo}/environments/{environment_name}/variables/{name}",
  issueComments: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
  issueComment: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
} as const;

export type RouteTemplate = (typeof ROUTE)[keyof typeof ROUTE];

/**
 * The path as GitHub's front end routes it: `.` and `..` segments (also written `%2e`) resolved the
 * way URL parsers do. Routing on the raw segments instead would let a client's `..` reach an
 * environment named ".." here while on GitHub it reaches the repository: the emulator would hide
 * the very escape a test is looking for.
 */
export function resolveDotSegments(rawPath: string): string {
  // Concatenated, not resolved against a base: a path starting "//" must not be read as a host.
  return new URL(`http://emulator.invalid${rawPath}`).pathname;
}

/**
 * Splits a raw request path on "/" and only then decodes each segment, so an environment name
 * holding "/" (sent as %2F) stays one segment. Undefined if a segment is not valid percent-encoding.
 */
export function pathSegments(rawPath: string): string[] | undefined {
  try {
    return rawPath
      .split("/")
      .slice(1)
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

/** The template's {placeholders} filled from the segments, or undefined if it does not match. */
export function matchTemplate(template: string, segments: string[]): Record<string, string> | undefined {
  const parts = template.split("/").slice(1);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.startsWith("{") && part.endsWith("}")) {
      params[part.slice(1, -1)] = segments[i];
    } else if (part !== segments[i]) {
      return undefined;
    }
  }
  return params;
}
