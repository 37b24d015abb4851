import { HttpError, type Reply, errorReply, notFound } from "./replies";
import type { HandlerContext, RouteDef } from "./handlers";
import { pageOf } from "./pagination";
import { ROUTE } from "./routes";
import type { EnvironmentRecord } from "./store";
import { isoSeconds } from "./time";

/**
 * Actions variables of environments, as GitHub serves them: plain values, names case-insensitive and
 * stored upper case, the rules of secret names, at most 100 per environment and 48 KB per value.
 * Kept beside the store's records (not in snapshots): a removed environment takes its variables along.
 */
export interface VariableRecord {
  readonly name: string;
  readonly createdAt: number;
  updatedAt: number;
  value: string;
}

export const MAX_VARIABLES_PER_ENVIRONMENT = 100;
export const MAX_VARIABLE_VALUE_BYTES = 48 * 1024;

const variablesOf = new WeakMap<EnvironmentRecord, Map<string, VariableRecord>>();

/** The environment's variables, keyed by upper-case name. */
export function environmentVariables(env: EnvironmentRecord): Map<string, VariableRecord> {
  let variables = variablesOf.get(env);
  if (variables === undefined) {
    variables = new Map();
    variablesOf.set(env, variables);
  }
  return variables;
}

/** Why GitHub would refuse this variable name, or undefined if it is acceptable. */
export function variableNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9_]+$/.test(name)) {
    return "Variable names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_).";
  }
  if (/^[0-9]/.test(name)) return "Variable names must not start with a number.";
  if (name.toUpperCase().startsWith("GITHUB_"))
    return "Variable names must not start with the GITHUB_ prefix.";
  return undefined;
}

/**
 * Creates or changes a variable after GitHub's checks; `create` refuses an existing one (POST) and
 * `update` a missing one (PATCH), as GitHub does. Throws HttpError with GitHub's status.
 */
export function writeVariable(
  env: EnvironmentRecord,
  name: string,
  value: string,
  now: number,
  mode: "create" | "update" | "upsert",
): void {
  const problem = variableNameProblem(name);
  if (problem) throw new HttpError(422, problem);
  if (Buffer.byteLength(value, "utf8") > MAX_VARIABLE_VALUE_BYTES) {
    throw new HttpError(422, `Variable value is too large: the maximum size is 48 KB.`);
  }
  const variables = environmentVariables(env);
  const key = name.toUpperCase();
  const existing = variables.get(key);
  if (existing) {
    if (mode === "create") throw new HttpError(409, "Already exists - Variable already exists");
    existing.value = value;
    existing.updatedAt = now;
    return;
  }
  if (mode === "update") throw new HttpError(404, "Not Found");
  if (variables.size >= MAX_VARIABLES_PER_ENVIRONMENT) {
    throw new HttpError(422, `Variable limit reached: an environment can hold at most 100 variables.`);
  }
  variables.set(key, { name: key, createdAt: now, updatedAt: now, value });
}

function variableJson(v: VariableRecord): unknown {
  return {
    name: v.name,
    value: v.value,
    created_at: isoSeconds(v.createdAt),
    updated_at: isoSeconds(v.updatedAt),
  };
}

function envOf(ctx: HandlerContext): EnvironmentRecord {
  if (!ctx.env) throw new HttpError(404, "Not Found");
  return ctx.env;
}

async function fieldsOf(ctx: HandlerContext, required: string[]): Promise<Record<string, unknown>> {
  const body = await ctx.json();
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(422, "Invalid request.\n\nThe request body must be a JSON object.");
  }
  const fields = body as Record<string, unknown>;
  for (const field of required) {
    if (!(field in fields)) throw new HttpError(422, `Invalid request.\n\n"${field}" wasn't supplied.`);
  }
  for (const field of ["name", "value"]) {
    if (field in fields && typeof fields[field] !== "string") {
      throw new HttpError(422, `Invalid request.\n\n"${field}" must be a string.`);
    }
  }
  return fields;
}

function listVariables(ctx: HandlerContext): Reply {
  const all = [...environmentVariables(envOf(ctx)).values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  const page = pageOf(all, ctx.requestUrl, 30); // GitHub caps variables at 30 per page
  const body = { total_count: all.length, variables: page.items.map(variableJson) };
  return page.link ? { status: 200, body, headers: { link: page.link } } : { status: 200, body };
}

function getVariable(ctx: HandlerContext): Reply {
  const found = environmentVariables(envOf(ctx)).get(ctx.params.name.toUpperCase());
  return found ? { status: 200, body: variableJson(found) } : notFound();
}

async function createVariable(ctx: HandlerContext): Promise<Reply> {
  const fields = await fieldsOf(ctx, ["name", "value"]);
  writeVariable(envOf(ctx), fields.name as string, fields.value as string, ctx.store.now(), "create");
  return { status: 201, body: {} };
}

async function updateVariable(ctx: HandlerContext): Promise<Reply> {
  const fields = await fieldsOf(ctx, []);
  const env = envOf(ctx);
  const current = environmentVariables(env).get(ctx.params.name.toUpperCase());
  if (!current) return notFound();
  if (typeof fields.name === "string" && fields.name.toUpperCase() !== current.name) {
    return errorReply(422, "Renaming a variable is not supported by this emulator.");
  }
  writeVariable(
    env,
    current.name,
    (fields.value as string | undefined) ?? current.value,
    ctx.store.now(),
    "update",
  );
  return { status: 204 };
}

function deleteVariable(ctx: HandlerContext): Reply {
  return environmentVariables(envOf(ctx)).delete(ctx.params.name.toUpperCase())
    ? { status: 204 }
    : notFound();
}

/** The variables routes; `writePermission` names what GitHub asks of a fine-grained token. */
export const VARIABLE_ROUTES: readonly RouteDef[] = [
  { method: "GET", template: ROUTE.variables, needsEnvironment: true, handle: listVariables },
  {
    method: "POST",
    template: ROUTE.variables,
    needsEnvironment: true,
    writePermission: "environments=write",
    handle: createVariable,
  },
  { method: "GET", template: ROUTE.variable, needsEnvironment: true, handle: getVariable },
  {
    method: "PATCH",
    template: ROUTE.variable,
    needsEnvironment: true,
    writePermission: "environments=write",
    handle: updateVariable,
  },
  {
    method: "DELETE",
    template: ROUTE.variable,
    needsEnvironment: true,
    writePermission: "environments=write",
    handle: deleteVariable,
  },
];
