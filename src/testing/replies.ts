// What handlers answer, apart from the node:http plumbing in http-io.ts: the emulator's public
// types reach these, and a consumer's `tsc` must not need @types/node for them.
export const DOCS_URL = "https://docs.github.com/rest";

/** What a handler answers; `body` undefined means no content. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A GitHub-style error answer thrown from deep inside a handler. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** GitHub's error body shape: message, documentation_url and the status as a string. */
export function errorReply(status: number, message: string, headers: Record<string, string> = {}): Reply {
  return { status, body: { message, documentation_url: DOCS_URL, status: String(status) }, headers };
}

export function notFound(): Reply {
  return errorReply(404, "Not Found");
}
