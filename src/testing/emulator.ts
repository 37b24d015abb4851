import { randomBytes } from "node:crypto";
import { IncomingMessage, Server, ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { APP_TOKEN_ROUTE, type AppConfig, AppRegistry } from "./app-auth";
import { TokenConfig, TokenGrant, TokenRegistry, canSeeRepository, canWrite } from "./auth";
import { Fault, FaultQueue } from "./faults";
import { RuleViolation } from "./github-rules";
import { ROUTES, RouteDef } from "./handlers";
import { readJson, send } from "./http-io";
import { HttpError, Reply, errorReply, notFound } from "./replies";
import { publicKeyBase64, sodiumReady } from "./keys";
import { matchTemplate, pathSegments, resolveDotSegments } from "./routes";
import { type EmulatorSnapshot, restoreSnapshot, takeSnapshot } from "./snapshot";
import { EnvironmentRecord, RepositoryRecord, Store } from "./store";
import { environmentVariables, writeVariable } from "./variables";
import { Clock, epochSeconds, isoSeconds } from "./time";

/** Options for {@link GithubEmulator.start}. */
export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /**
   * Accepted tokens: a list (each with full access) or a map of token to {@link TokenGrant}.
   * Absent: one random full-access token is generated, available as `emulator.token`.
   */
  tokens?: TokenConfig;
  /** Repositories to create up front, "owner/name" mapped to the names of their environments. */
  repositories?: Record<string, string[]>;
  /** Source of the current time in milliseconds (default `Date.now`); timestamps use whole seconds. */
  clock?: Clock;
  /** Data saved by {@link GithubEmulator.snapshot} in an earlier run, loaded before `repositories`. */
  snapshot?: EmulatorSnapshot;
  /**
   * Milliseconds every API request waits before it is handled, like the round trip to a real API
   * (benchmarks use 30): without it the emulator answers in microseconds and a client's concurrency
   * shows nothing. Default 0.
   */
  latencyMs?: number;
}

/** A comment on an issue or pull request, as {@link GithubEmulator.issueComments} returns it. */
export interface IssueCommentInfo {
  readonly id: number;
  readonly body: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A secret as listed by GitHub; times are ISO 8601 with second precision, e.g. "2024-01-02T03:04:05Z". */
export interface SecretInfo {
  name: string;
  createdAt: string;
  updatedAt: string;
}

/** A request as it reached the emulator: the path exactly as sent, before any decoding. */
export interface ReceivedRequest {
  method: string;
  /** The raw request path, without the query string, e.g. "/repos/acme/api/environments/a%2Fb/secrets". */
  path: string;
}

/** How many requests {@link GithubEmulator.receivedRequests} keeps (the most recent ones). */
const RECEIVED_LOG_SIZE = 1000;

/** An environment's public key as GitHub returns it: key id and standard base64 X25519 key. */
export interface PublicKeyInfo {
  keyId: string;
  key: string;
}

/**
 * An emulator of the GitHub REST API for Actions environment secrets: a real HTTP server on
 * 127.0.0.1 that keeps a real X25519 key pair per environment, opens every sealed value it is sent,
 * enforces GitHub's rules, injects faults on demand and counts requests per route.
 *
 * Point a client's base URL at {@link GithubEmulator.url} and authenticate with
 * {@link GithubEmulator.token}. The methods other than `start`/`stop` act on the emulator's state
 * directly (never over HTTP), to set up a test and to check its outcome.
 */
export class GithubEmulator {
  private readonly store: Store;
  private readonly tokenRegistry: TokenRegistry;
  private readonly apps = new AppRegistry();
  private readonly faults = new FaultQueue();
  private readonly counts = new Map<string, number>();
  private readonly received: ReceivedRequest[] = [];
  private readonly sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private readonly server: Server;
  private address = "";
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly clock: Clock,
    tokens: TokenConfig,
    private readonly latencyMs: number,
  ) {
    this.store = new Store(() => epochSeconds(this.clock));
    this.tokenRegistry = new TokenRegistry(tokens);
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Starts an emulator and resolves once it is listening. */
  static async start(options: EmulatorOptions = {}): Promise<GithubEmulator> {
    await sodiumReady();
    const tokens = options.tokens ?? [`emulator_${randomBytes(20).toString("hex")}`];
    const latencyMs = options.latencyMs ?? 0;
    if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) {
      throw new Error(`latencyMs must be a number of milliseconds, 0 or more (got ${latencyMs})`);
    }
    const emulator = new GithubEmulator(options.clock ?? Date.now, tokens, latencyMs);
    if (options.snapshot) restoreSnapshot(emulator.store, options.snapshot);
    for (const [fullName, environments] of Object.entries(options.repositories ?? {})) {
      emulator.addRepository(fullName);
      for (const env of environments) emulator.addEnvironment(fullName, env);
    }
    await emulator.listen(options.port ?? 0);
    return emulator;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        this.server.off("error", reject);
        const { port: actual } = this.server.address() as AddressInfo;
        this.address = `127.0.0.1:${actual}`;
        resolve();
      });
    });
  }

  /** Base URL of the API, e.g. "http://127.0.0.1:43123" (what Octokit calls `baseUrl`). */
  get url(): string {
    return `http://${this.address}`;
  }

  /** The port the emulator listens on. */
  get port(): number {
    return Number(this.address.split(":")[1]);
  }

  /** The first accepted token (the generated one when no tokens were configured). */
  get token(): string {
    const [first] = this.tokenRegistry.tokens();
    if (first === undefined) throw new Error("The emulator has no tokens configured");
    return first;
  }

  /** Accepts another token from now on (full access unless a grant says otherwise). */
  addToken(token: string, grant: TokenGrant = {}): void {
    this.tokenRegistry.add(token, grant);
  }

  /**
   * Registers a GitHub App: `POST /app/installations/{id}/access_tokens` with a JWT signed by its
   * private key then mints installation tokens, accepted from then on with the installation's grant.
   */
  addApp(appId: string, config: AppConfig): void {
    this.apps.add(appId, config);
  }

  /** Stops accepting a token (its requests answer 401 "Bad credentials"), like a revoked token. */
  removeToken(token: string): void {
    this.tokenRegistry.remove(token);
  }

  /** Stops the server, closing every connection (keep-alive ones included) and pending delays. */
  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      for (const sleeper of this.sleepers) {
        clearTimeout(sleeper.timer);
        sleeper.wake();
      }
      this.sleepers.clear();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.stopping;
  }

  // ---- test-side state API (never over HTTP) -------------------------------------------------

  /** Repositories, environments, keys and secrets as JSON, to start a later emulator with (`snapshot` option). */
  snapshot(): EmulatorSnapshot {
    return takeSnapshot(this.store);
  }

  /** Creates a repository ("owner/name") if it does not exist. */
  addRepository(fullName: string): void {
    this.store.addRepository(fullName);
  }

  /** Creates an environment with a fresh key pair; the repository must exist. No-op if it exists. */
  addEnvironment(repository: string, environment: string): void {
    this.store.addEnvironment(this.repo(repository), environment);
  }

  /** Deletes an environment and its secrets, as if removed in GitHub's settings. */
  removeEnvironment(repository: string, environment: string): void {
    const env = this.env(repository, environment);
    this.store.removeEnvironment(this.repo(repository), env.name);
  }

  /** The environment's current public key, as `GET .../secrets/public-key` returns it. */
  getPublicKey(repository: string, environment: string): PublicKeyInfo {
    const { key } = this.env(repository, environment);
    return { keyId: key.keyId, key: publicKeyBase64(key) };
  }

  /** Replaces the environment's key pair; values sealed for the old key id are refused from now on. */
  rotateKey(repository: string, environment: string): string {
    return this.store.rotateKey(this.env(repository, environment)).keyId;
  }

  /** The decrypted value of a secret (name case-insensitive), or undefined if there is none. */
  getSecretValue(repository: string, environment: string, name: string): string | undefined {
    const secret = this.store.secret(this.env(repository, environment), name);
    return secret ? Buffer.from(secret.value).toString("utf8") : undefined;
  }

  /** The environment's secrets sorted by name, without values. */
  listSecrets(repository: string, environment: string): SecretInfo[] {
    return this.store.listSecrets(this.env(repository, environment)).map((s) => ({
      name: s.name,
      createdAt: isoSeconds(s.createdAt),
      updatedAt: isoSeconds(s.updatedAt),
    }));
  }

  /** Comments posted on an issue or pull request, oldest first (what a plan-posting workflow wrote). */
  issueComments(repository: string, issueNumber: number): IssueCommentInfo[] {
    return this.store.comments.of(this.repo(repository), issueNumber).map((c) => ({
      id: c.id,
      body: c.body,
      createdAt: isoSeconds(c.createdAt),
      updatedAt: isoSeconds(c.updatedAt),
    }));
  }

  /**
   * Creates or changes a secret as someone outside the client would (in the UI, another tool),
   * with GitHub's rules enforced. `updated_at` becomes at least 5 s later than the last write,
   * even when called right after it, so drift is always visible (clients allow GitHub's clocks a
   * second or two of skew).
   */
  setSecretOutOfBand(repository: string, environment: string, name: string, plaintext: string): void {
    this.store.writeSecret(this.env(repository, environment), name, Buffer.from(plaintext, "utf8"), true);
  }

  /** Deletes a secret as someone outside the client would. Returns whether it existed. */
  deleteSecretOutOfBand(repository: string, environment: string, name: string): boolean {
    return this.store.deleteSecret(this.env(repository, environment), name);
  }

  /** The value of an environment variable (name case-insensitive), or undefined if there is none. */
  getVariableValue(repository: string, environment: string, name: string): string | undefined {
    return environmentVariables(this.env(repository, environment)).get(name.toUpperCase())?.value;
  }

  /** Creates or changes an environment variable as someone outside the client would; GitHub's rules apply. */
  setVariableOutOfBand(repository: string, environment: string, name: string, value: string): void {
    writeVariable(this.env(repository, environment), name, value, epochSeconds(this.clock), "upsert");
  }

  /** Deletes an environment variable as someone outside the client would. Returns whether it existed. */
  deleteVariableOutOfBand(repository: string, environment: string, name: string): boolean {
    return environmentVariables(this.env(repository, environment)).delete(name.toUpperCase());
  }

  // ---- faults and request counts ---------------------------------------------------------------

  /** Queues a fault for the next matching request(s); faults are consumed in the order given. */
  injectFault(fault: Fault): void {
    this.faults.add(fault);
  }

  /** Removes every queued fault. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** How many fault applications are still queued (Infinity if one is unbounded). */
  pendingFaults(): number {
    return this.faults.pending();
  }

  /**
   * Requests per route since start or the last reset, keyed "METHOD template", e.g.
   * "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets". Faulted and refused
   * requests count too; requests to unknown routes do not.
   */
  requestCounts(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  resetRequestCounts(): void {
    this.counts.clear();
    this.received.length = 0;
  }

  /**
   * The last requests received (up to 1000), oldest first, with their paths as sent: to check which
   * resource a client really addressed. Unknown routes are included. Reset with `resetRequestCounts()`.
   */
  receivedRequests(): ReceivedRequest[] {
    return this.received.map((r) => ({ ...r }));
  }

  // ---- internals -----------------------------------------------------------------------------------

  private repo(fullName: string): RepositoryRecord {
    const repo = this.store.repository(fullName);
    if (!repo) throw new Error(`Unknown repository "${fullName}"`);
    return repo;
  }

  private env(repository: string, environment: string): EnvironmentRecord {
    const env = this.store.environment(this.repo(repository), environment);
    if (!env) throw new Error(`Unknown environment "${environment}" in "${repository}"`);
    return env;
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
      { ...reply, headers: { date: new Date(this.clock()).toUTCString(), ...reply.headers } },
      requestId,
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `${randomBytes(4).toString("hex")}:${randomBytes(6).toString("hex")}`.toUpperCase();
    try {
      await this.dispatch(req, res, requestId);
    } catch (err) {
      this.answer(res, replyForError(err), requestId);
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const rawUrl = req.url ?? "/";
    const queryAt = rawUrl.indexOf("?");
    const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    this.received.push({ method, path: rawPath });
    if (this.received.length > RECEIVED_LOG_SIZE) this.received.shift();
    const segments = pathSegments(resolveDotSegments(rawPath));
    const installation = AppRegistry.installationOf(method, rawUrl);
    if (installation !== undefined) {
      this.mintAppToken(installation, req, res, requestId);
      return;
    }
    const found = segments ? findRoute(method, segments) : undefined;
    const grant = this.tokenRegistry.grantFor(req.headers.authorization);

    if (!found) {
      this.answer(res, grant ? notFound() : badCredentials(), requestId);
      return;
    }
    const { route, params } = found;
    this.count(method, route.template);
    if (this.latencyMs > 0) await this.sleep(this.latencyMs);

    const fault = this.faults.take(method, route.template);
    if (fault && (await this.applyFault(fault, req, res, requestId, params))) return;
    if (this.stopping) return;

    if (!grant) {
      this.answer(res, badCredentials(), requestId);
      return;
    }
    const fullName = `${params.owner}/${params.repo}`;
    const repo = this.store.repository(fullName);
    if (!repo || !canSeeRepository(grant, fullName)) {
      this.answer(res, notFound(), requestId);
      return;
    }
    const env =
      params.environment_name === undefined
        ? undefined
        : this.store.environment(repo, params.environment_name);
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
    const baseUrl = `http://${req.headers.host ?? this.address}`;
    const reply = await route.handle({
      store: this.store,
      repo,
      env,
      params,
      requestUrl: new URL(baseUrl + rawUrl),
      baseUrl,
      json: () => readJson(req),
    });
    this.answer(res, reply, requestId);
  }

  /** One more request for `requestCounts()`, keyed "METHOD template". */
  private count(method: string, template: string): void {
    const key = `${method} ${template}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  private mintAppToken(
    installationId: string,
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
  ): void {
    this.count("POST", APP_TOKEN_ROUTE);
    const outcome = this.apps.mintToken(installationId, req.headers.authorization, epochSeconds(this.clock));
    if (outcome.status !== 201) {
      this.answer(res, errorReply(outcome.status, outcome.message), requestId);
      return;
    }
    this.tokenRegistry.add(outcome.token, outcome.grant);
    const body = {
      token: outcome.token,
      expires_at: isoSeconds(outcome.expiresAt),
      permissions: { secrets: "write", environments: "read" },
      repository_selection: "all",
    };
    this.answer(res, { status: 201, body }, requestId);
  }

  /** Applies a fault; true if it answered (or dropped) the request, false to carry on normally. */
  private async applyFault(
    fault: Fault,
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    params: Record<string, string>,
  ): Promise<boolean> {
    switch (fault.kind) {
      case "rotateKey":
      case "removeEnvironment": {
        const repo = this.store.repository(`${params.owner}/${params.repo}`);
        const env =
          repo && params.environment_name !== undefined
            ? this.store.environment(repo, params.environment_name)
            : undefined;
        if (repo && env) {
          if (fault.kind === "rotateKey") this.store.rotateKey(env);
          else this.store.removeEnvironment(repo, env.name);
        }
        return false;
      }
      case "drop":
        req.socket.destroy();
        return true;
      case "delay":
        await this.sleep(fault.ms);
        return false;
      case "status":
        this.answer(res, errorReply(fault.status, fault.message ?? statusMessage(fault.status)), requestId);
        return true;
      case "secondaryRateLimit":
        this.answer(
          res,
          errorReply(
            403,
            `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
            { "retry-after": String(fault.retryAfter) },
          ),
          requestId,
        );
        return true;
      case "rateLimit429":
        this.answer(
          res,
          errorReply(429, fault.message ?? "Too many requests. Please wait before trying again.", {
            "retry-after": String(fault.retryAfter),
          }),
          requestId,
        );
        return true;
      case "primaryRateLimit":
        this.answer(
          res,
          errorReply(403, "API rate limit exceeded for user ID 1.", {
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-used": "5000",
            "x-ratelimit-reset": String(epochSeconds(this.clock) + fault.resetAfter),
            "x-ratelimit-resource": "core",
          }),
          requestId,
        );
        return true;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = {
        wake: resolve,
        timer: setTimeout(() => {
          this.sleepers.delete(sleeper);
          resolve();
        }, ms),
      };
      this.sleepers.add(sleeper);
    });
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

function statusMessage(status: number): string {
  if (status === 502) return "Server Error";
  if (status === 503) return "Service Unavailable";
  return status >= 500 ? "Internal Server Error" : "Error";
}

/** Maps an error thrown while handling to GitHub's answer; never includes request content. */
function replyForError(err: unknown): Reply {
  if (err instanceof HttpError) return errorReply(err.status, err.message, err.headers);
  if (err instanceof RuleViolation) return errorReply(422, err.message);
  return errorReply(500, "Internal emulator error");
}
