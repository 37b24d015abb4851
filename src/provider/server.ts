import type * as grpc from "@grpc/grpc-js";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createLogger, type Logger } from "./framework/logger";
import { Server, ServerCredentials, Status } from "./grpc-server";
import { ProviderService, type RpcHandler } from "./framework/provider-service";
import type { ProviderDefinition } from "./framework/types";
import { createSelfSignedCertificate } from "./protocol/certificate";
import { handshakeLine, MAGIC_COOKIE_KEY, startupRefusal } from "./protocol/handshake";
import { serviceDefinition, type Message } from "./protocol/messages";
import { chooseListenAddress, removeStaleSocketDirs } from "./plugin-socket";
import { reportStartupFailure } from "./startup-failure";

/** grpc-js would cap received messages at 4 MB; a large resource's plan or state must not hit that. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** How long Shutdown waits for in-flight calls to finish before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 200;
const PARENT_CHECK_MS = 1000;

const HEALTH_SERVING = 1;

type UnaryCall = grpc.ServerUnaryCall<Message, Message>;

function unary(handler: RpcHandler, logger: Logger, rpc: string): grpc.handleUnaryCall<Message, Message> {
  return (call: UnaryCall, callback: grpc.sendUnaryData<Message>) => {
    const controller = new AbortController();
    let answered = false;
    // Only a call Terraform gives up on is aborted: grpc-js may report a stream closing after the
    // answer as a cancellation too, and aborting then built an AbortError for nothing.
    call.on("cancelled", () => answered || controller.abort());
    handler(call.request, controller.signal).then(
      (reply) => {
        answered = true;
        callback(null, reply);
      },
      (error: unknown) => {
        // Handlers report failures as diagnostics; reaching this is a bug in the plumbing.
        logger.error("rpc crashed", {
          tf_rpc: rpc,
          error: error instanceof Error ? error.message : "non-error thrown",
        });
        callback({ code: Status.INTERNAL, details: "internal provider error" });
      },
    );
  };
}

/**
 * Runs the provider as a go-plugin gRPC server until Terraform shuts it down. Resolves once
 * the handshake line has been written. Exits the process itself (never returns to a CLI).
 */
export async function serveProvider(def: ProviderDefinition<unknown>): Promise<void> {
  const env = process.env;
  const refusal = startupRefusal(env);
  // Started by hand (no cookie): a person reads stderr. Started by Terraform: stdout too.
  if (refusal) reportStartupFailure(refusal, env[MAGIC_COOKIE_KEY] !== undefined);

  const logger = createLogger();
  const service = new ProviderService(def, logger);

  // Ctrl-C reaches the whole process group; Terraform follows up with StopProvider.
  process.on("SIGINT", () => logger.debug("SIGINT ignored: waiting for Terraform's StopProvider"));

  // go-plugin's clients may choose the socket directory; a path too long for a socket means TCP.
  const socketBase = env.PLUGIN_UNIX_SOCKET_DIR || tmpdir();
  const address = chooseListenAddress(socketBase);
  const socketDir = address.network === "unix" ? address.dir : undefined;
  if (socketDir) process.on("exit", () => rmSync(socketDir, { recursive: true, force: true }));

  const server = new Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    // channelz keeps per-call statistics for a debugging service nobody queries here.
    "grpc.enable_channelz": 0,
  });

  let exiting = false;
  const exit = (code: number, reason: string) => {
    if (exiting) return;
    exiting = true;
    logger.debug("provider exiting", { reason });
    service.stop();
    const done = () => process.exit(code);
    server.tryShutdown(done);
    setTimeout(() => {
      server.forceShutdown();
      done();
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.on("SIGTERM", () => exit(0, "SIGTERM"));
  process.on("uncaughtException", (error) => {
    logger.error("uncaught exception", { error: error.message });
    exit(1, "uncaught exception");
  });
  process.on("unhandledRejection", (reason) => {
    logger.error("unhandled promise rejection", {
      error: reason instanceof Error ? reason.message : "non-error",
    });
  });

  // If Terraform dies without shutting us down (SIGKILL, crash), do not linger as an orphan.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) exit(0, "parent process gone");
  }, PARENT_CHECK_MS).unref();

  const clientCert = env.PLUGIN_CLIENT_CERT;
  let credentials: grpc.ServerCredentials;
  let certificateDer: Buffer | undefined;
  if (clientCert) {
    const certificate = createSelfSignedCertificate();
    certificateDer = certificate.der;
    // Mutual TLS: the certificate Terraform generated for this launch is the only one trusted.
    credentials = ServerCredentials.createSsl(
      Buffer.from(clientCert),
      [{ private_key: Buffer.from(certificate.keyPem), cert_chain: Buffer.from(certificate.certPem) }],
      true,
    );
  } else {
    // Only when started without go-plugin's AutoMTLS (e.g. a debugging harness); Terraform always sets it.
    logger.warn("PLUGIN_CLIENT_CERT not set: serving without TLS");
    credentials = ServerCredentials.createInsecure();
  }

  const target = address.network === "unix" ? `unix:${address.path}` : `${address.host}:0`;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(target, credentials, (error, bound) => (error ? reject(error) : resolve(bound)));
  });
  const listening = address.network === "unix" ? address.path : `${address.host}:${port}`;

  // The one and only stdout line.
  process.stdout.write(handshakeLine(address.network, listening, certificateDer) + "\n");

  // Services are added after the handshake, in the same synchronous run, so no call can arrive
  // before they exist: parsing the protocol schema then overlaps with Terraform dialling in.
  addServices(server, service, logger, exit);
  logger.debug("provider serving", { address: listening, pid: process.pid });

  // After the handshake, off the start-up path: directories of providers killed with -9.
  void removeStaleSocketDirs(socketBase, socketDir).then(
    (removed) => removed > 0 && logger.debug("removed stale socket directories", { removed }),
    () => undefined,
  );
}

function addServices(
  server: grpc.Server,
  service: ProviderService,
  logger: Logger,
  exit: (code: number, reason: string) => void,
): void {
  const handlers = service.handlers();
  const providerImpl: grpc.UntypedServiceImplementation = {};
  for (const [rpc, handler] of Object.entries(handlers)) providerImpl[rpc] = unary(handler, logger, rpc);
  server.addService(serviceDefinition("tfplugin6.Provider"), providerImpl);

  server.addService(serviceDefinition("plugin.GRPCController"), {
    Shutdown: (_call: UnaryCall, callback: grpc.sendUnaryData<Message>) => {
      callback(null, {});
      // Exit promptly: go-plugin otherwise waits 2 s and kills us, on every launch.
      setImmediate(() => exit(0, "Shutdown"));
    },
  });

  server.addService(serviceDefinition("grpc.health.v1.Health"), {
    // go-plugin asks about the service "plugin"; everything here is up once we answer at all.
    Check: (_call: UnaryCall, callback: grpc.sendUnaryData<Message>) =>
      callback(null, { status: HEALTH_SERVING }),
  });
}
