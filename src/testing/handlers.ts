import { secretNameProblem } from "./github-rules";
import { HttpError, Reply, errorReply, notFound } from "./replies";
import { commentBody, commentJson, positiveId } from "./issue-comments";
import { openSealedValue, publicKeyBase64 } from "./keys";
import { pageOf } from "./pagination";
import { ROUTE, RouteTemplate } from "./routes";
import { VARIABLE_ROUTES } from "./variables";
import type { EnvironmentRecord, RepositoryRecord, SecretRecord, Store } from "./store";
import { isoSeconds } from "./time";

/** What the dispatcher has resolved before a handler runs. */
export interface HandlerContext {
  store: Store;
  repo: RepositoryRecord;
  /** Present whenever the route has `needsEnvironment`. */
  env: EnvironmentRecord | undefined;
  params: Record<string, string>;
  /** Absolute URL of this request as the client sent it (for `Link` headers). */
  requestUrl: URL;
  baseUrl: string;
  json(): Promise<unknown>;
}

export interface RouteDef {
  method: "GET" | "PUT" | "DELETE" | "POST" | "PATCH";
  template: RouteTemplate;
  /** The environment in the path must exist (else 404) before the handler runs. */
  needsEnvironment: boolean;
  /** The fine-grained permission a write needs, named in `x-accepted-github-permissions` on 403. */
  writePermission?: string;
  handle(ctx: HandlerContext): Reply | Promise<Reply>;
}

/** Every route the emulator serves. Order matters: `public-key` must come before `{secret_name}`. */
export const ROUTES: readonly RouteDef[] = [
  { method: "GET", template: ROUTE.repository, needsEnvironment: false, handle: getRepository },
  { method: "GET", template: ROUTE.environments, needsEnvironment: false, handle: listEnvironments },
  { method: "GET", template: ROUTE.environment, needsEnvironment: true, handle: getEnvironment },
  {
    method: "PUT",
    template: ROUTE.environment,
    needsEnvironment: false,
    writePermission: "administration=write",
    handle: putEnvironment,
  },
  {
    method: "DELETE",
    template: ROUTE.environment,
    needsEnvironment: true,
    writePermission: "administration=write",
    handle: deleteEnvironment,
  },
  { method: "GET", template: ROUTE.secrets, needsEnvironment: true, handle: listSecrets },
  { method: "GET", template: ROUTE.publicKey, needsEnvironment: true, handle: getPublicKey },
  { method: "GET", template: ROUTE.secret, needsEnvironment: true, handle: getSecret },
  {
    method: "PUT",
    template: ROUTE.secret,
    needsEnvironment: true,
    writePermission: "secrets=write",
    handle: putSecret,
  },
  {
    method: "DELETE",
    template: ROUTE.secret,
    needsEnvironment: true,
    writePermission: "secrets=write",
    handle: deleteSecret,
  },
  { method: "GET", template: ROUTE.issueComments, needsEnvironment: false, handle: listIssueComments },
  {
    method: "POST",
    template: ROUTE.issueComments,
    needsEnvironment: false,
    writePermission: "issues=write; pull_requests=write",
    handle: createIssueComment,
  },
  {
    method: "PATCH",
    template: ROUTE.issueComment,
    needsEnvironment: false,
    writePermission: "issues=write; pull_requests=write",
    handle: updateIssueComment,
  },
  // Environment variables: their own file.
  ...VARIABLE_ROUTES,
];

function envOf(ctx: HandlerContext): EnvironmentRecord {
  if (!ctx.env) throw new HttpError(404, "Not Found");
  return ctx.env;
}

function repositoryJson(ctx: HandlerContext): unknown {
  const { repo } = ctx;
  return {
    id: repo.id,
    name: repo.name,
    full_name: repo.fullName,
    private: true,
    owner: { login: repo.owner, type: "User" },
    url: `${ctx.baseUrl}/repos/${repo.fullName}`,
  };
}

function environmentJson(ctx: HandlerContext, env: EnvironmentRecord): unknown {
  return {
    id: env.id,
    name: env.name,
    url: `${ctx.baseUrl}/repos/${ctx.repo.fullName}/environments/${encodeURIComponent(env.name)}`,
    created_at: isoSeconds(env.createdAt),
    updated_at: isoSeconds(env.updatedAt),
    protection_rules: [],
    deployment_branch_policy: null,
  };
}

export function secretJson(secret: SecretRecord): { name: string; created_at: string; updated_at: string } {
  return {
    name: secret.name,
    created_at: isoSeconds(secret.createdAt),
    updated_at: isoSeconds(secret.updatedAt),
  };
}

function withLink(reply: Reply, link: string | undefined): Reply {
  return link ? { ...reply, headers: { ...reply.headers, link } } : reply;
}

function getRepository(ctx: HandlerContext): Reply {
  return { status: 200, body: repositoryJson(ctx) };
}

function listEnvironments(ctx: HandlerContext): Reply {
  const all = [...ctx.repo.environments.values()].sort((a, b) => a.id - b.id);
  const page = pageOf(all, ctx.requestUrl);
  const body = { total_count: all.length, environments: page.items.map((e) => environmentJson(ctx, e)) };
  return withLink({ status: 200, body }, page.link);
}

function getEnvironment(ctx: HandlerContext): Reply {
  return { status: 200, body: environmentJson(ctx, envOf(ctx)) };
}

function putEnvironment(ctx: HandlerContext): Reply {
  const env = ctx.store.addEnvironment(ctx.repo, ctx.params.environment_name);
  return { status: 200, body: environmentJson(ctx, env) };
}

function deleteEnvironment(ctx: HandlerContext): Reply {
  ctx.store.removeEnvironment(ctx.repo, envOf(ctx).name);
  return { status: 204 };
}

function listSecrets(ctx: HandlerContext): Reply {
  const all = ctx.store.listSecrets(envOf(ctx));
  const page = pageOf(all, ctx.requestUrl);
  const body = { total_count: all.length, secrets: page.items.map(secretJson) };
  return withLink({ status: 200, body }, page.link);
}

function getPublicKey(ctx: HandlerContext): Reply {
  const { key } = envOf(ctx);
  return { status: 200, body: { key_id: key.keyId, key: publicKeyBase64(key) } };
}

function getSecret(ctx: HandlerContext): Reply {
  const secret = ctx.store.secret(envOf(ctx), ctx.params.secret_name);
  return secret ? { status: 200, body: secretJson(secret) } : notFound();
}

async function putSecret(ctx: HandlerContext): Promise<Reply> {
  const env = envOf(ctx);
  const body = await ctx.json();
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return errorReply(422, "Invalid request.\n\nThe request body must be a JSON object.");
  }
  const fields = body as Record<string, unknown>;
  for (const field of ["encrypted_value", "key_id"]) {
    if (!(field in fields)) return errorReply(422, `Invalid request.\n\n"${field}" wasn't supplied.`);
    // The value itself is never echoed: it may be secret material.
    if (typeof fields[field] !== "string")
      return errorReply(422, `Invalid request.\n\n"${field}" must be a string.`);
  }
  const name = ctx.params.secret_name;
  const nameProblem = secretNameProblem(name);
  if (nameProblem) return errorReply(422, nameProblem);

  if (fields.key_id !== env.key.keyId) {
    return errorReply(
      422,
      "Bad request - could not decrypt: key_id does not match the current public key of this environment.",
    );
  }
  const value = openSealedValue(fields.encrypted_value as string, env.key);
  if (!value) return errorReply(422, "Bad request - could not decrypt");

  // Size and count limits throw RuleViolation, which the dispatcher answers with 422.
  const outcome = ctx.store.writeSecret(env, name, value, false);
  return { status: outcome === "created" ? 201 : 204 };
}

function deleteSecret(ctx: HandlerContext): Reply {
  return ctx.store.deleteSecret(envOf(ctx), ctx.params.secret_name) ? { status: 204 } : notFound();
}

function listIssueComments(ctx: HandlerContext): Reply {
  const issue = positiveId(ctx.params.issue_number);
  if (issue === undefined) return notFound();
  // Paged here, not in issue-comments.ts: the store's declarations (reached from the package's
  // testing export) then mention no `URL`, a global a consumer without @types/node does not have.
  const page = pageOf(ctx.store.comments.of(ctx.repo, issue), ctx.requestUrl);
  const reply: Reply = { status: 200, body: page.items.map((c) => commentJson(ctx.baseUrl, c)) };
  return page.link ? { ...reply, headers: { link: page.link } } : reply;
}

async function createIssueComment(ctx: HandlerContext): Promise<Reply> {
  const issue = positiveId(ctx.params.issue_number);
  if (issue === undefined) return notFound();
  const body = commentBody(await ctx.json());
  if (typeof body !== "string") return body;
  return { status: 201, body: commentJson(ctx.baseUrl, ctx.store.comments.add(ctx.repo, issue, body)) };
}

async function updateIssueComment(ctx: HandlerContext): Promise<Reply> {
  const id = positiveId(ctx.params.comment_id);
  const comment = id === undefined ? undefined : ctx.store.comments.byId(ctx.repo, id);
  if (!comment) return notFound();
  const body = commentBody(await ctx.json());
  if (typeof body !== "string") return body;
  ctx.store.comments.update(comment, body);
  return { status: 200, body: commentJson(ctx.baseUrl, comment) };
}
