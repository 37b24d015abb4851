import { randomBytes } from "node:crypto";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type AppConfig, AppRegistry } from "./app-auth";
import { type TokenConfig, type TokenGrant, TokenRegistry } from "./auth";
import { type Fault, FaultQueue } from "./faults";
import { publicKeyBase64, sodiumReady } from "./keys";
import { type ReceivedRequest, RequestLog } from "./request-log";
import { RequestPipeline } from "./request-pipeline";
import { Sleepers } from "./sleepers";
import { type EmulatorSnapshot, restoreSnapshot, takeSnapshot } from "./snapshot";
import { type EnvironmentRecord, type RepositoryRecord, Store } from "./store";
import { environmentVariables, writeVariable } from "./variables";
import { type Clock, epochSeconds, isoSeconds } from "./time";

export type { ReceivedRequest } from "./request-log";

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
  private readonly log = new RequestLog();
  private readonly sleepers = new Sleepers();
  private readonly server: Server;
  private address = "";
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly clock: Clock,
    tokens: TokenConfig,
    latencyMs: number,
  ) {
    this.store = new Store(() => epochSeconds(this.clock));
    this.tokenRegistry = new TokenRegistry(tokens);
    const pipeline = new RequestPipeline({
      store: this.store,
      tokens: this.tokenRegistry,
      apps: this.apps,
      faults: this.faults,
      log: this.log,
      sleepers: this.sleepers,
      clock,
      latencyMs,
      address: () => this.address,
      stopping: () => this.stopping !== undefined,
    });
    this.server = createServer((req, res) => void pipeline.handle(req, res));
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
      this.sleepers.wakeAll();
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
    return this.log.requestCounts();
  }

  /** Forgets the request counts and the received requests. */
  resetRequestCounts(): void {
    this.log.reset();
  }

  /**
   * The last requests received (up to 1000), oldest first, with their paths as sent: to check which
   * resource a client really addressed. Unknown routes are included. Reset with `resetRequestCounts()`.
   */
  receivedRequests(): ReceivedRequest[] {
    return this.log.receivedRequests();
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
}
