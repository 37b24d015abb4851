/** GitHub's REST API root for github.com: what the provider uses when no base URL is set. */
export const GITHUB_DOT_COM_API = "https://api.github.com";

/**
 * One spelling per GitHub API root, so secrets can be told apart by the GitHub they live on:
 * `https://GitHub.Example.com/api/v3/` and `https://github.example.com/api/v3` are one server,
 * and no base URL at all means github.com. Scheme and host compare without case, the path with it.
 */
export function apiRootKey(baseUrl: string | undefined): string {
  const text = (baseUrl ?? "").trim() || GITHUB_DOT_COM_API;
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
  } catch {
    return text.replace(/\/+$/, "");
  }
}
