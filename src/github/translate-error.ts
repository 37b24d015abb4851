import {
  BadCredentialsError,
  type CallSubject,
  EnvironmentNotFoundError,
  GithubSecretsError,
  GithubUnavailableError,
  MissingPermissionError,
  NoAnswerError,
  RepositoryNotFoundError,
  ValidationFailedError,
} from "./errors";
import { RATE_LIMIT, type RateLimitOutcome } from "./retry-after";
import {
  ATTEMPT,
  type AttemptFailure,
  BASE_URL,
  formatDuration,
  NOT_SENT,
  TIMED_OUT_AFTER_MS,
} from "./request-timeout";

/** The parts of Octokit's RequestError we read. Its `request` (headers, body) is never kept. */
interface OctokitFailure {
  status?: number;
  message?: string;
  request?: { url?: string };
  cause?: unknown;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
  [RATE_LIMIT]?: RateLimitOutcome;
}

/** GitHub App authentication (the installation-token exchange of @octokit/auth-app) failed. */
export function isAppAuthFailure(error: unknown): boolean {
  const url = (error as OctokitFailure | undefined)?.request?.url;
  return typeof url === "string" && /\/app\/installations\/[^/]+\/access_tokens/.test(url);
}

const DEFAULT_GRANT =
  'fine-grained token or GitHub App: "Secrets: read and write" and "Environments: read" on the repository; ' +
  'classic token: the "repo" scope';

function githubMessage(failure: OctokitFailure): string | undefined {
  const data = failure.response?.data;
  if (data && typeof data === "object" && typeof (data as { message?: unknown }).message === "string") {
    return (data as { message: string }).message;
  }
  return undefined;
}

function grantFrom(headers: Record<string, string | number | undefined> | undefined): string {
  const fineGrained = headers?.["x-accepted-github-permissions"];
  if (fineGrained) return `the permissions "${fineGrained}"`;
  const scopes = headers?.["x-accepted-oauth-scopes"];
  if (scopes) return `the scopes "${scopes}"`;
  return DEFAULT_GRANT;
}

/**
 * Turns an Octokit failure into one of our typed errors. `whose404` tells what a 404 means for
 * this call; the caller decides, because only it knows whether the repository exists.
 * Nothing of the request (headers hold the token, the body the ciphertext) is carried over.
 */
export function translateError(
  error: unknown,
  subject: CallSubject,
  whose404: "repository" | "environment" = "environment",
): GithubSecretsError {
  if (error instanceof GithubSecretsError) return error;
  const failure = (error ?? {}) as OctokitFailure;
  const status = typeof failure.status === "number" ? failure.status : 0;
  const said = githubMessage(failure);
  if (isAppAuthFailure(error) && (status === 401 || status === 403 || status === 404)) {
    return new BadCredentialsError(
      subject,
      status,
      "GitHub App authentication failed: check the App id, the installation id (the App must be installed on the repository's owner) and that the private key is the App's current key",
      said,
    );
  }
  const notSent = (failure as { [NOT_SENT]?: string })[NOT_SENT];
  if (notSent) return new NoAnswerError(subject, `not sent: an earlier request failed: ${notSent}`);
  // Octokit reports "no HTTP answer at all" (refused, DNS, reset, our timeout) as a 500 without a response.
  if (status === 500 && !failure.response)
    return noAnswer(failure as OctokitFailure & AttemptFailure, subject);
  switch (status) {
    case 401:
      return new BadCredentialsError(
        subject,
        401,
        "GitHub rejected the credential (bad, expired or revoked token): give a valid token (GITHUB_TOKEN, GH_TOKEN or the one configured)",
        said,
      );
    case 403:
      if (failure[RATE_LIMIT] || (said && /rate limit/i.test(said)))
        return rateLimited(failure, subject, 403, said);
      return new MissingPermissionError(subject, grantFrom(failure.response?.headers), said);
    case 404:
      return whose404 === "repository"
        ? new RepositoryNotFoundError(
            subject,
            404,
            "the repository does not exist or the credential cannot see it: check the name and that the token has access to it",
            said,
          )
        : new EnvironmentNotFoundError(
            subject,
            404,
            "the environment does not exist: create it in the repository settings (Settings > Environments) or fix its name",
            said,
          );
    case 422:
      return new ValidationFailedError(subject, 422, "GitHub rejected the request", said);
    case 429:
      return rateLimited(failure, subject, 429, said);
    default: {
      const reason =
        status >= 500
          ? `GitHub answered ${status} after all retries`
          : `GitHub call failed (status ${status || "none"})`;
      return new GithubUnavailableError(
        subject,
        status,
        reason,
        said ?? sanitizeTransportMessage(failure.message),
      );
    }
  }
}

/** Transport messages come from fetch/undici; keep them short and free of URLs' query strings. */
function sanitizeTransportMessage(message: string | undefined): string | undefined {
  if (!message) return undefined;
  return message
    .split("\n")[0]
    .replace(/\?[^\s"]*/g, "")
    .slice(0, 200);
}

/** A URL fit for a message: no credentials, query or fragment, no trailing slash. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    parsed.search = "";
    parsed.hash = "";
    return parsed.toString().replace(/\/+$/, "");
  } catch {
    return "(an invalid URL)";
  }
}

/**
 * The innermost message of the error chain: fetch says only "fetch failed" and keeps the socket's
 * error ("connect ECONNREFUSED 127.0.0.1:443", "getaddrinfo ENOTFOUND ...") as its cause. Read here
 * rather than trusting Octokit's copy, which it takes only from errors of its own realm.
 */
function transportCause(failure: OctokitFailure): string | undefined {
  let message = failure.message;
  let current: unknown = (failure as { cause?: unknown }).cause;
  for (let depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    const text = (current as { message?: unknown }).message;
    if (typeof text === "string" && text !== "") message = text;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

/** No answer came: say what failed and where, never "GitHub answered 500". */
function noAnswer(failure: OctokitFailure & AttemptFailure, subject: CallSubject): GithubSecretsError {
  const attempts = failure[ATTEMPT] ?? 1;
  const tries = attempts > 1 ? ` on any of ${attempts} attempts` : "";
  const target = failure[BASE_URL] ?? failure.request?.url;
  const where = target ? displayUrl(target) : "the GitHub API";
  const timeoutMs = failure[TIMED_OUT_AFTER_MS];
  if (timeoutMs !== undefined) {
    return new NoAnswerError(
      subject,
      `${where} did not answer within ${formatDuration(timeoutMs)}${tries}: check that it is reachable and ` +
        "working, or raise the provider's request_timeout_ms if it is only slow",
    );
  }
  const cause = sanitizeTransportMessage(transportCause(failure)) ?? "no answer";
  return new NoAnswerError(
    subject,
    `could not reach ${where} (${cause})${tries}: check base_url (or GITHUB_API_URL) and the network`,
  );
}

/** GitHub's own words, unless they add nothing to the status (a bare "Error" from a proxy). */
function informative(said: string | undefined): string | undefined {
  return said && !/^\s*(error|too many requests|forbidden)?\s*\.?\s*$/i.test(said) ? said : undefined;
}

/** A rate limit that stopped the call: how long GitHub asked to wait, and what to change. */
function rateLimited(
  failure: OctokitFailure,
  subject: CallSubject,
  status: number,
  said: string | undefined,
): GithubSecretsError {
  const outcome = failure[RATE_LIMIT];
  const detail = informative(said);
  if (outcome?.askedSeconds === undefined) {
    if (status === 429) {
      return new GithubUnavailableError(
        subject,
        429,
        "GitHub answered 429 (too many requests) without saying how long to wait: run again in a minute, " +
          "with a lower terraform -parallelism if it happens again",
        detail,
      );
    }
    return new GithubUnavailableError(
      subject,
      status,
      "GitHub's rate limit did not clear: run again later",
      detail,
    );
  }
  if (outcome.askedSeconds > outcome.allowedSeconds) {
    return new GithubUnavailableError(
      subject,
      status,
      `GitHub's rate limit asks to wait ${outcome.askedSeconds} s, longer than the ${outcome.allowedSeconds} s allowed: ` +
        `run again after that, or raise the provider's max_rate_limit_wait_seconds to at least ${outcome.askedSeconds}`,
      detail,
    );
  }
  const waits = `${outcome.maxWaits} wait${outcome.maxWaits === 1 ? "" : "s"}`;
  return new GithubUnavailableError(
    subject,
    status,
    `GitHub's rate limit did not clear after ${waits}: run again later, or raise the provider's max_retries`,
    detail,
  );
}
