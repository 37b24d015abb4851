import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { APP_TOKEN_ROUTE, AppRegistry } from "./app-auth";
import { canSeeRepository, canWrite, type TokenRegistry } from "./auth";
import { applyFault } from "./fault-replies";
import type { FaultQueue } from "./faults";
import { RuleViolation } from "./github-rules";
import { ROUTES, type RouteDef } from "./handlers";
import { readJson, send } from "./http-io";
import { errorReply, HttpError, notFound, type Reply } from "./replies";
import type { RequestLog } from "./request-log";
import { matchTemplate, pathSegments, resolveDotSegments } from "./routes";
import type { Sleepers } from "./sleepers";
import type { Store } from "./store";
import { type Clock, epochSeconds, isoSeconds } from "./time";

/** The emulator's state an HTTP request may read or change; owned by the `GithubEmulator` facade. */
export interface PipelineState {
  readonly store: Store;
  readonly tokens: TokenRegistry;
  readonly apps: AppRegistry;
  readonly faults: FaultQueue;
  readonly log: RequestLog;
  readonly sleepers: Sleepers;
  readonly clock: Clock;
  /** Milliseconds every API request waits before it is handled (0: none). */
  readonly latencyMs: number;
  /** "127.0.0.1:port", for links when a request has no Host header. */
  readonly address: () => string;
  /** Whether `stop()` was called: a request woken from a delay then gets no answer. */
  readonly stopping: () => boolean;
}

/**
 * One HTTP request through the emulator, in GitHub's order: app token minting, route lookup,
 * counting, latency, faults, authentication, repository and environment visibility, permission,
 * then the route's handler. Every answer carries a request id and the Date of the emulator's clock.
 */
export class RequestPipeline {
  constructor(private readonly state: PipelineState) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `${randomBytes(4).toString("hex")}:${randomBytes(6).toString("hex")}`.toUpperCase();
    try {
      await this.dispatch(req, res, requestId);
    } catch (err) {
      this.answer(res, replyForError(err), requestId);
    }
  }

  /**
   * Writes a reply. Clients record the Date of a write as the secret's last update, so, as on a real
   * server, it is read when the answer is written (after the store changed) and from the clock that
   * stamps updated_at, also when a test injects one. Taken before the write, a write that crossed a
   * second boundary looked newer than its own Date: a false "changed outside Terraform".
   */
  private answer(res: ServerResponse, reply: Reply, requestId: string): void {
    send(
      res,
      { ...reply, headers: { date: new Date(this.state.clock()).toUTCString(), ...reply.headers } },
      requestId,
    );
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const { store, log } = this.state;
    const method = (req.method ?? "GET").toUpperCase();
    const rawUrl = req.url ?? "/";
    const queryAt = rawUrl.indexOf("?");
    const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    log.receive(method, rawPath);
    const segments = pathSegments(resolveDotSegments(rawPath));
    const installation = AppRegistry.installationOf(method, rawUrl);
    if (installation !== undefined) {
      this.mintAppToken(installation, req, res, requestId);
      return;
    }
    const found = segments ? findRoute(method, segments) : undefined;
    const grant = this.state.tokens.grantFor(req.headers.authorization);

    if (!found) {
      this.answer(res, grant ? notFound() : badCredentials(), requestId);
      return;
    }
    const { route, params } = found;
    log.count(method, route.template);
    if (this.state.latencyMs > 0) await this.state.sleepers.sleep(this.state.latencyMs);

    const fault = this.state.faults.take(method, route.template);
    if (fault) {
      const answered = await applyFault(fault, {
        req,
        params,
        requestId,
        store,
        nowSeconds: () => epochSeconds(this.state.clock),
        answer: (reply) => this.answer(res, reply, requestId),
        sleep: (ms) => this.state.sleepers.sleep(ms),
      });
      if (answered) return;
    }
    if (this.state.stopping()) return;

    if (!grant) {
      this.answer(res, badCredentials(), requestId);
      return;
    }
    const fullName = `${params.owner}/${params.repo}`;
    const repo = store.repository(fullName);
    if (!repo || !canSeeRepository(grant, fullName)) {
      this.answer(res, notFound(), requestId);
      return;
    }
    const env =
      params.environment_name === undefined ? undefined : store.environment(repo, params.environment_name);
    if (route.needsEnvironment && !env) {
      this.answer(res, notFound(), requestId);
      return;
    }
    if (route.writePermission && !canWrite(grant)) {
      this.answer(
        res,
        errorReply(403, "Resource not accessible by personal access token", {
          "x-accepted-github-permissions": route.writePermission,
        }),
        requestId,
      );
      return;
    }
    const baseUrl = `http://${req.headers.host ?? this.state.address()}`;
    const reply = await route.handle({
      store,
      repo,
      env,
      params,
      requestUrl: new URL(baseUrl + rawUrl),
      baseUrl,
      json: () => readJson(req),
    });
    this.answer(res, reply, requestId);
  }

  private mintAppToken(
    installationId: string,
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
  ): void {
    this.state.log.count("POST", APP_TOKEN_ROUTE);
    const outcome = this.state.apps.mintToken(
      installationId,
      req.headers.authorization,
      epochSeconds(this.state.clock),
    );
    if (outcome.status !== 201) {
      this.answer(res, errorReply(outcome.status, outcome.message), requestId);
      return;
    }
    this.state.tokens.add(outcome.token, outcome.grant);
    const body = {
      token: outcome.token,
      expires_at: isoSeconds(outcome.expiresAt),
      permissions: { secrets: "write", environments: "read" },
      repository_selection: "all",
    };
    this.answer(res, { status: 201, body }, requestId);
  }
}

function findRoute(
  method: string,
  segments: string[],
): { route: RouteDef; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const params = matchTemplate(route.template, segments);
    if (params) return { route, params };
  }
  return undefined;
}

function badCredentials(): Reply {
  return errorReply(401, "Bad credentials");
}

/** Maps an error thrown while handling to GitHub's answer; never includes request content. */
function replyForError(err: unknown): Reply {
  if (err instanceof HttpError) return errorReply(err.status, err.message, err.headers);
  if (err instanceof RuleViolation) return errorReply(422, err.message);
  return errorReply(500, "Internal emulator error");
}
