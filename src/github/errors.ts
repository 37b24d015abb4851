/** What a GitHub call was about; every error names it, and never the value or the credential. */
export interface CallSubject {
  readonly repository: string;
  readonly environment?: string;
  readonly secretName?: string;
  /** For calls about an Actions variable. */
  readonly variableName?: string;
}

export function describeSubject(subject: CallSubject): string {
  const parts = [`repository ${subject.repository}`];
  if (subject.environment !== undefined) parts.push(`environment "${subject.environment}"`);
  if (subject.secretName !== undefined) parts.push(`secret ${subject.secretName}`);
  if (subject.variableName !== undefined) parts.push(`variable ${subject.variableName}`);
  return parts.join(", ");
}

/** Base class: `status` is GitHub's HTTP status (0 when no answer came). */
export class GithubSecretsError extends Error {
  readonly repository: string;
  readonly environment?: string;
  readonly secretName?: string;

  constructor(
    readonly subject: CallSubject,
    readonly status: number,
    summary: string,
    readonly githubMessage?: string,
  ) {
    super(
      `${summary} (${describeSubject(subject)})${githubMessage ? `: GitHub said "${githubMessage}"` : ""}`,
    );
    this.name = new.target.name;
    this.repository = subject.repository;
    this.environment = subject.environment;
    this.secretName = subject.secretName;
  }
}

/** 401: the token is wrong, expired or revoked. */
export class BadCredentialsError extends GithubSecretsError {}

/** 403 (not a rate limit): the credential lacks a permission; `grant` says which. */
export class MissingPermissionError extends GithubSecretsError {
  constructor(
    subject: CallSubject,
    readonly grant: string,
    githubMessage?: string,
  ) {
    super(subject, 403, `the GitHub credential lacks a permission: grant ${grant}`, githubMessage);
  }
}

/** 404 for the repository itself: it does not exist or the credential cannot see it. */
export class RepositoryNotFoundError extends GithubSecretsError {}

/** 404 for the environment of an existing repository. */
export class EnvironmentNotFoundError extends GithubSecretsError {}

/** 422: GitHub rejected the request (bad name, stale key, value too large, too many secrets). */
export class ValidationFailedError extends GithubSecretsError {}

/** Rate limit waits exhausted, repeated 5xx, dropped connections, or anything unexpected. */
export class GithubUnavailableError extends GithubSecretsError {}

/**
 * No HTTP answer at all on every attempt (timeout, refused connection, DNS). After one, the client
 * sends nothing more: later calls fail at once with the same `reason`, so a dead API holds a run
 * for one request's bound, not one per queued write.
 */
export class NoAnswerError extends GithubUnavailableError {
  constructor(
    subject: CallSubject,
    readonly reason: string,
  ) {
    super(subject, 0, reason);
  }
}
