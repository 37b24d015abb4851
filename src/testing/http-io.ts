import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError, type Reply } from "./replies";

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
