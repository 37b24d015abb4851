import type { IncomingMessage, ServerResponse } from "node:http";

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

export function send(res: ServerResponse, reply: Reply, requestId: string): void {
  if (res.destroyed || res.headersSent) return;
  const headers: Record<string, string> = {
    "x-github-request-id": requestId,
    "x-github-api-version-selected": "2022-11-28",
    ...reply.headers,
  };
  if (reply.body === undefined) {
    res.writeHead(reply.status, { ...headers, "content-length": "0" });
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "x-github-media-type": "github.v3; format=json",
    "content-length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** Largest request body accepted; a 48 KB secret sealed and base64-encoded is about 66 KB. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The request body parsed as JSON ({} when empty); 400 like GitHub when it is not JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "Payload too large");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim().length === 0) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, "Problems parsing JSON");
  }
}
