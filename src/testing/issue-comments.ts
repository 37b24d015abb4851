import { errorReply, type Reply } from "./replies";
import type { RepositoryRecord } from "./store";
import { isoSeconds } from "./time";

/**
 * Issue (and pull-request) comments, enough for a workflow that posts one comment and updates it
 * in place (`actions/github-script` with Octokit's `issues.listComments`, `createComment`,
 * `updateComment`). Issues themselves are not modelled: any issue number takes comments.
 */
export interface IssueCommentRecord {
  readonly id: number;
  readonly repository: string;
  readonly issueNumber: number;
  body: string;
  readonly createdAt: number;
  updatedAt: number;
}

/** GitHub's limit on a comment body, in characters. */
export const MAX_COMMENT_BODY_LENGTH = 65536;

/** Who the emulator says wrote a comment: the identity a workflow's `github.token` posts as. */
const AUTHOR = { login: "github-actions[bot]", id: 41898282, type: "Bot" };

export class IssueComments {
  private readonly all: IssueCommentRecord[] = [];
  private nextId = 1;

  constructor(private readonly now: () => number) {}

  /** Comments of one issue, oldest first. */
  of(repo: RepositoryRecord, issueNumber: number): IssueCommentRecord[] {
    return this.all.filter((c) => c.repository === repo.fullName && c.issueNumber === issueNumber);
  }

  byId(repo: RepositoryRecord, id: number): IssueCommentRecord | undefined {
    return this.all.find((c) => c.repository === repo.fullName && c.id === id);
  }

  add(repo: RepositoryRecord, issueNumber: number, body: string): IssueCommentRecord {
    const now = this.now();
    const record = {
      id: this.nextId++,
      repository: repo.fullName,
      issueNumber,
      body,
      createdAt: now,
      updatedAt: now,
    };
    this.all.push(record);
    return record;
  }

  update(record: IssueCommentRecord, body: string): void {
    record.body = body;
    record.updatedAt = this.now();
  }
}

export function commentJson(baseUrl: string, c: IssueCommentRecord): unknown {
  return {
    id: c.id,
    body: c.body,
    user: AUTHOR,
    created_at: isoSeconds(c.createdAt),
    updated_at: isoSeconds(c.updatedAt),
    url: `${baseUrl}/repos/${c.repository}/issues/comments/${c.id}`,
    issue_url: `${baseUrl}/repos/${c.repository}/issues/${c.issueNumber}`,
  };
}

/** A positive integer path parameter, or undefined (the route then answers 404, as GitHub does). */
export function positiveId(text: string | undefined): number | undefined {
  return text !== undefined && /^[1-9][0-9]{0,15}$/.test(text) ? Number(text) : undefined;
}

/** The `body` of a create or update request, or the 422 GitHub answers. */
export function commentBody(json: unknown): string | Reply {
  const body = typeof json === "object" && json !== null ? (json as { body?: unknown }).body : undefined;
  if (typeof body !== "string" || body.length === 0) {
    return errorReply(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
  }
  if (body.length > MAX_COMMENT_BODY_LENGTH) {
    return errorReply(
      422,
      `Validation Failed: body is too long (maximum is ${MAX_COMMENT_BODY_LENGTH} characters)`,
    );
  }
  return body;
}
