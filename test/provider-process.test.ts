/**
 * The bundled provider as a process: the magic-cookie refusal, the handshake line, mutual TLS with
 * Terraform's client certificate only, the health service, unimplemented RPCs, a prompt Shutdown.
 */
import * as grpc from "@grpc/grpc-js";
import { X509Certificate } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { createSelfSignedCertificate } from "../src/provider/protocol/certificate";
import { MAGIC_COOKIE_VALUE } from "../src/provider/protocol/handshake";
import { serviceDefinition, type Message } from "../src/provider/protocol/messages";
import { pluginEnv, useEchoBundle } from "./helpers/plugin-process";

const echo = useEchoBundle("process");
const startBundle = (env: NodeJS.ProcessEnv) => echo.start(env);

describe("bundled provider process", () => {
  test("refuses to run without Terraform's magic cookie", async () => {
    const env = pluginEnv();
    delete env.TF_PLUGIN_MAGIC_COOKIE;
    const { exited, stderr, child } = startBundle(env);
    let stdout = "";
    child.stdout!.on("data", (d) => (stdout += d));
    expect(await exited).toBe(1);
    expect(stderr()).toMatch(/started by Terraform, not by hand/);
    expect(stdout).toBe("");
  });

  test("handshake line, mutual TLS with the client certificate only, health, schema, prompt Shutdown", async () => {
    const client = createSelfSignedCertificate();
    const stranger = createSelfSignedCertificate();
    const started = Date.now();
    const proc = startBundle(
      pluginEnv({
        TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE,
        PLUGIN_PROTOCOL_VERSIONS: "6,5",
        PLUGIN_CLIENT_CERT: client.certPem,
      }),
    );
    const line = await proc.firstLine;
    const match = /^1\|6\|unix\|(\/[^|]+)\|grpc\|([A-Za-z0-9+/]+)$/.exec(line);
    expect(match).not.toBeNull();
    const [, socketPath, certB64] = match!;
    expect(certB64.endsWith("=")).toBe(false);
    const serverCert = new X509Certificate(Buffer.from(certB64, "base64"));
    expect(serverCert.subject).toBe("CN=localhost");
    expect(statSync(socketPath).isSocket()).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);

    const options = { "grpc.ssl_target_name_override": "localhost", "grpc.default_authority": "localhost" };
    const credentials = (who: typeof client) =>
      grpc.credentials.createSsl(
        Buffer.from(serverCert.toString()),
        Buffer.from(who.keyPem),
        Buffer.from(who.certPem),
      );
    const Health = grpc.makeGenericClientConstructor(serviceDefinition("grpc.health.v1.Health"), "Health");
    const Provider = grpc.makeGenericClientConstructor(serviceDefinition("tfplugin6.Provider"), "Provider");
    const Controller = grpc.makeGenericClientConstructor(
      serviceDefinition("plugin.GRPCController"),
      "Controller",
    );
    const call = (c: grpc.Client, method: string, req: Message) =>
      new Promise<Message>((ok, fail) =>
        (c as any)[method](req, { deadline: Date.now() + 5000 }, (e: Error | null, r: Message) =>
          e ? fail(e) : ok(r),
        ),
      );

    const health = new Health(`unix:${socketPath}`, credentials(client), options);
    expect(await call(health, "Check", { service: "plugin" })).toEqual({ status: 1 });

    const intruder = new Health(`unix:${socketPath}`, credentials(stranger), options);
    await expect(call(intruder, "Check", { service: "plugin" })).rejects.toThrow();
    intruder.close();

    const provider = new Provider(`unix:${socketPath}`, credentials(client), options);
    const schema = await call(provider, "GetProviderSchema", {});
    expect(Object.keys(schema.resource_schemas)).toEqual(["ghsecrets_echo"]);
    const unimplemented = new grpc.Client(`unix:${socketPath}`, credentials(client), options);
    await expect(
      new Promise((ok, fail) =>
        unimplemented.makeUnaryRequest(
          "/tfplugin6.Provider/GetFunctions",
          () => Buffer.alloc(0),
          (b: Buffer) => b,
          {},
          (e, r) => (e ? fail(e) : ok(r)),
        ),
      ),
    ).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });

    const controller = new Controller(`unix:${socketPath}`, credentials(client), options);
    const shutdownAt = Date.now();
    await call(controller, "Shutdown", {});
    expect(await proc.exited).toBe(0);
    expect(Date.now() - shutdownAt).toBeLessThan(1500);
    expect(existsSync(dirname(socketPath))).toBe(false);
    for (const c of [health, provider, controller, unimplemented]) c.close();
  }, 20_000);
});
