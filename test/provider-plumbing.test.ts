/**
 * The provider plumbing: values, the framework's generic behaviour, the gRPC/TLS start-up,
 * the bundle, the implicit local mirror, and a full lifecycle driven by the real terraform.
 */
import * as grpc from "@grpc/grpc-js";
import { encode } from "@msgpack/msgpack";
import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { X509Certificate } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { DEFAULT_PLATFORMS, PROVIDER_SOURCE, writeProviderMirror } from "../src/mirror";
import { UNKNOWN, type ProviderDefinition, type ResourceDefinition } from "../src/provider/framework";
import { createLogger } from "../src/provider/framework/logger";
import { ProviderService } from "../src/provider/framework/provider-service";
import { createSelfSignedCertificate } from "../src/provider/protocol/certificate";
import { MAGIC_COOKIE_VALUE } from "../src/provider/protocol/handshake";
import { serviceDefinition, type Message } from "../src/provider/protocol/messages";
import { decodeDynamicValue, encodeDynamicValue, type ObjectType } from "../src/provider/protocol/values";
import { echoProvider, echoResource } from "./fixtures/echo-provider";

const run = promisify(execFile);
const ROOT = resolve(__dirname, "..");
const quiet = createLogger({ level: "off" });
const ECHO_TYPE: ObjectType = {
  name: "string",
  message: "string",
  secret: "string",
  secret_hash: "string",
  id: "string",
};

const msgpackValue = (value: unknown): Message => ({ msgpack: encode(value) });
/** An echo object (UNKNOWN allowed, missing attributes null) as Terraform would send it. */
const echo = (value: Record<string, unknown> | null): Message =>
  encodeDynamicValue(value as never, ECHO_TYPE);
const decoded = (dv: Message | undefined) => decodeDynamicValue(dv, ECHO_TYPE);
const summaries = (res: Message) => (res.diagnostics as Message[]).map((d) => `${d.summary}: ${d.detail}`);

async function configured(
  def: ProviderDefinition<any> = echoProvider,
  writeOnly = true,
): Promise<ProviderService> {
  const service = new ProviderService(def, quiet);
  const res = await service.configureProvider({
    config: msgpackValue({ prefix: "p-" }),
    client_capabilities: { write_only_attributes_allowed: writeOnly },
  });
  expect(res.diagnostics).toEqual([]);
  return service;
}

// --- values ----------------------------------------------------------------------------------

describe("dynamic values", () => {
  test("any msgpack extension decodes as UNKNOWN, UNKNOWN encodes as d4 00 00", () => {
    const refined = new Uint8Array([0xc7, 0x02, 0x0c, 0x01, 0x02]); // ext8 type 12 (refined unknown)
    const bytes = Buffer.concat([
      Buffer.from([0x82]),
      Buffer.from(encode("name")),
      Buffer.from([0xd4, 0x00, 0x00]),
      Buffer.from(encode("message")),
      refined,
    ]);
    const value = decodeDynamicValue({ msgpack: bytes }, { name: "string", message: "string" });
    expect(value).toEqual({ name: UNKNOWN, message: UNKNOWN });
    const out = Buffer.from(encodeDynamicValue({ name: UNKNOWN }, { name: "string" }).msgpack);
    expect(out.toString("hex")).toBe("81a46e616d65d40000");
  });

  test("missing attributes become null, extra ones are dropped, json is accepted, numbers coerce", () => {
    const type: ObjectType = { a: "string", n: "number", b: "bool", gone: "string" };
    expect(decodeDynamicValue(msgpackValue({ a: "x", n: 3, b: true, extra: 1 }), type)).toEqual({
      a: "x",
      n: 3,
      b: true,
      gone: null,
    });
    expect(decodeDynamicValue({ json: Buffer.from('{"a":"y","n":"12.5","b":false}') }, type)).toEqual({
      a: "y",
      n: 12.5,
      b: false,
      gone: null,
    });
    expect(decodeDynamicValue(msgpackValue(null), type)).toBeNull();
    expect(decodeDynamicValue(undefined, type)).toBeNull();
  });

  test("a value of the wrong type is refused, naming the attribute but not the value", () => {
    expect(() => decodeDynamicValue(msgpackValue({ n: "not-a-number-SECRET" }), { n: "number" })).toThrow(
      /"n".*number/,
    );
    try {
      encodeDynamicValue({ n: "SECRET" }, { n: "number" });
      throw new Error("expected a throw");
    } catch (error) {
      expect((error as Error).message).toMatch(/"n"/);
      expect((error as Error).message).not.toMatch(/SECRET/);
    }
  });
});

// --- the framework ---------------------------------------------------------------------------

describe("ProviderService", () => {
  test("schema: cty JSON types, write_only, versions, schema-optional capability", async () => {
    const res = await new ProviderService(echoProvider, quiet).getProviderSchema();
    const schema = res.resource_schemas.ghsecrets_echo;
    expect(schema.version).toBe(1);
    const attr = (name: string) => schema.block.attributes.find((a: Message) => a.name === name);
    expect(Buffer.from(attr("name").type).toString()).toBe('"string"');
    expect(attr("secret")).toMatchObject({ write_only: true, sensitive: true, optional: true });
    expect(attr("id")).toMatchObject({ computed: true, write_only: false });
    expect(res.server_capabilities).toEqual({ get_provider_schema_optional: true });
  });

  test("invalid definitions are rejected at start-up with the attribute named", () => {
    const bad: ResourceDefinition<unknown> = {
      ...echoResource,
      attributes: { x: { type: "string", description: "", computed: true, writeOnly: true } },
    } as never;
    expect(() => new ProviderService({ ...echoProvider, resources: [bad] }, quiet)).toThrow(
      /attribute "x".*write-only attribute cannot be computed/,
    );
    expect(
      () =>
        new ProviderService(
          { ...echoProvider, resources: [{ ...echoResource, typeName: "other_echo" }] },
          quiet,
        ),
    ).toThrow(/does not start with "ghsecrets_"/);
  });

  test("a resource call before ConfigureProvider gets a clear diagnostic", async () => {
    const service = new ProviderService(echoProvider, quiet);
    const res = await service.readResource({
      type_name: "ghsecrets_echo",
      current_state: echo({ name: "a", id: "x" }),
    });
    expect(summaries(res).join()).toMatch(/Provider not configured/);
  });

  test("plan: write-only nulled, unknown passed through, requires_replace only when a replace attribute changes", async () => {
    const service = await configured();
    const config = { name: "a", message: "m", secret: "s3cret" };
    const create = await service.planResourceChange({
      type_name: "ghsecrets_echo",
      prior_state: echo(null),
      proposed_new_state: echo({ ...config, id: null, secret_hash: null }),
      config: echo(config),
      client_capabilities: { write_only_attributes_allowed: true },
    });
    expect(create.diagnostics).toEqual([]);
    const planned = decoded(create.planned_state)!;
    expect(planned.secret).toBeNull();
    expect(planned.id).toBe(UNKNOWN);
    expect(create.requires_replace).toEqual([]);

    const prior = { name: "a", message: "m", secret: null, secret_hash: planned.secret_hash, id: "p-a" };
    const rename = await service.planResourceChange({
      type_name: "ghsecrets_echo",
      prior_state: echo(prior),
      proposed_new_state: echo({ ...prior, name: "b", message: "n" }),
      config: echo({ name: "b", message: "n", secret: "s3cret" }),
      client_capabilities: { write_only_attributes_allowed: true },
    });
    expect(rename.requires_replace).toEqual([{ steps: [{ attribute_name: "name" }] }]);

    const inPlace = await service.planResourceChange({
      type_name: "ghsecrets_echo",
      prior_state: echo(prior),
      proposed_new_state: echo({ ...prior, message: "n" }),
      config: echo({ name: "a", message: "n", secret: "s3cret" }),
      client_capabilities: { write_only_attributes_allowed: true },
    });
    expect(inPlace.requires_replace).toEqual([]);
    expect(decoded(inPlace.planned_state)).toMatchObject({ id: "p-a", message: "n", secret: null });
  });

  test("a configured write-only value is refused, naming Terraform 1.11, when the client cannot handle it", async () => {
    const service = await configured(echoProvider, false);
    const res = await service.planResourceChange({
      type_name: "ghsecrets_echo",
      prior_state: echo(null),
      proposed_new_state: echo({ name: "a", secret: "s3cret" }),
      config: echo({ name: "a", secret: "s3cret" }),
      client_capabilities: { write_only_attributes_allowed: false },
    });
    expect(res.diagnostics).toHaveLength(1);
    expect(res.diagnostics[0]).toMatchObject({
      severity: 1,
      attribute: { steps: [{ attribute_name: "secret" }] },
    });
    expect(res.diagnostics[0].detail).toMatch(/Terraform 1\.11/);
    // Protocol 6.9 also sends capabilities with ValidateResourceConfig: refused there too.
    const validate = await service.validateResourceConfig({
      type_name: "ghsecrets_echo",
      config: echo({ name: "a", secret: "x" }),
      client_capabilities: {},
    });
    expect(summaries(validate).join()).toMatch(/Write-only/);
  });

  test("validate sees unknown values and returns the resource's diagnostics with an attribute path", async () => {
    const service = new ProviderService(echoProvider, quiet);
    const unknownName = Buffer.concat([
      Buffer.from([0x81]),
      Buffer.from(encode("name")),
      Buffer.from([0xd4, 0, 0]),
    ]);
    expect(
      (
        await service.validateResourceConfig({
          type_name: "ghsecrets_echo",
          config: { msgpack: unknownName },
        })
      ).diagnostics,
    ).toEqual([]);
    const res = await service.validateResourceConfig({
      type_name: "ghsecrets_echo",
      config: echo({ name: "a b" }),
    });
    expect(res.diagnostics[0]).toMatchObject({
      summary: "Invalid name",
      attribute: { steps: [{ attribute_name: "name" }] },
    });
  });

  test("apply: a thrown error becomes its message only, and the prior object is kept", async () => {
    const service = await configured();
    const prior = { name: "a", message: "m", secret: null, secret_hash: null, id: "p-a" };
    const res = await service.applyResourceChange({
      type_name: "ghsecrets_echo",
      prior_state: echo(prior),
      planned_state: echo({ ...prior, message: "fail" }),
      config: echo({ name: "a", message: "fail" }),
    });
    expect(res.diagnostics).toEqual([
      { severity: 1, summary: "Cannot update ghsecrets_echo", detail: "apply refused: message is fail" },
    ]);
    expect(decoded(res.new_state)).toEqual(prior);
  });

  test("apply: write-only value taken from config, nulled in the new state; delete returns null", async () => {
    const service = await configured();
    const res = await service.applyResourceChange({
      type_name: "ghsecrets_echo",
      prior_state: echo(null),
      planned_state: echo({ name: "a", message: null, secret: null, secret_hash: UNKNOWN, id: UNKNOWN }),
      config: echo({ name: "a", secret: "s3cret" }),
    });
    expect(res.diagnostics).toEqual([]);
    const state = decoded(res.new_state)!;
    expect(state).toMatchObject({ name: "a", id: "p-a", secret: null });
    expect(typeof state.secret_hash).toBe("string");
    expect(Buffer.from(res.new_state.msgpack).toString("latin1")).not.toContain("s3cret");

    const gone = await service.applyResourceChange({
      type_name: "ghsecrets_echo",
      prior_state: echo(state),
      planned_state: echo(null),
      config: echo(null),
    });
    expect(gone.diagnostics).toEqual([]);
    expect(decoded(gone.new_state)).toBeNull();
  });

  test("apply: an unknown value left after apply is reported on its attribute", async () => {
    const sloppy: ResourceDefinition<unknown> = {
      ...(echoResource as ResourceDefinition<unknown>),
      apply: async ({ planned }) => ({ newState: planned }),
    };
    const service = await configured({ ...echoProvider, resources: [sloppy] } as never);
    const res = await service.applyResourceChange({
      type_name: "ghsecrets_echo",
      prior_state: echo(null),
      planned_state: echo({ name: "a", id: UNKNOWN }),
      config: echo({ name: "a" }),
    });
    expect(res.diagnostics[0]).toMatchObject({
      summary: expect.stringMatching(/unknown value after apply/),
      attribute: { steps: [{ attribute_name: "id" }] },
    });
  });

  test("upgrade: stored JSON becomes every current attribute; write-only nulled; newer versions refused", async () => {
    const service = new ProviderService(echoProvider, quiet);
    const raw = Buffer.from(JSON.stringify({ name: "a", id: "p-a", secret: "leaked?", removed_attr: 1 }));
    const res = await service.upgradeResourceState({
      type_name: "ghsecrets_echo",
      version: 1,
      raw_state: { json: raw },
    });
    expect(res.diagnostics).toEqual([]);
    expect(decoded(res.upgraded_state)).toEqual({
      name: "a",
      message: null,
      secret: null,
      secret_hash: null,
      id: "p-a",
    });
    const newer = await service.upgradeResourceState({
      type_name: "ghsecrets_echo",
      version: 7,
      raw_state: { json: raw },
    });
    expect(summaries(newer).join()).toMatch(/newer provider/);
  });

  test("upgrade: upgradeState runs for older versions only", async () => {
    const calls: number[] = [];
    const versioned: ResourceDefinition<unknown> = {
      ...(echoResource as ResourceDefinition<unknown>),
      version: 2,
      upgradeState: (raw, from) => {
        calls.push(from);
        return { name: String(raw.old_name), id: String(raw.id) };
      },
    };
    const service = new ProviderService({ ...echoProvider, resources: [versioned] }, quiet);
    const res = await service.upgradeResourceState({
      type_name: "ghsecrets_echo",
      version: 1,
      raw_state: { json: Buffer.from('{"old_name":"a","id":"i"}') },
    });
    expect(decoded(res.upgraded_state)).toMatchObject({ name: "a", id: "i", message: null });
    await service.upgradeResourceState({
      type_name: "ghsecrets_echo",
      version: 2,
      raw_state: { json: Buffer.from('{"name":"a"}') },
    });
    expect(calls).toEqual([1]);
  });

  test("import: state with all attributes; DiagnosticError passes its diagnostics through", async () => {
    const service = await configured();
    const res = await service.importResourceState({ type_name: "ghsecrets_echo", id: "x" });
    expect(res.imported_resources).toHaveLength(1);
    expect(decoded(res.imported_resources[0].state)).toEqual({
      name: "x",
      message: null,
      secret: null,
      secret_hash: null,
      id: "p-x",
    });
    const empty = await service.importResourceState({ type_name: "ghsecrets_echo", id: "" });
    expect(summaries(empty)).toEqual(["Empty import id: "]);
    const vague: ResourceDefinition<unknown> = {
      ...(echoResource as ResourceDefinition<unknown>),
      importState: async ({ id }) => ({ state: { name: id, secret_hash: UNKNOWN } }),
    };
    const unknownImport = await (
      await configured({ ...echoProvider, resources: [vague] } as never)
    ).importResourceState({ type_name: "ghsecrets_echo", id: "x" });
    expect(unknownImport.imported_resources ?? []).toEqual([]);
    expect(unknownImport.diagnostics[0]).toMatchObject({
      summary: "Provider returned an unknown value in the imported state",
      attribute: { steps: [{ attribute_name: "secret_hash" }] },
    });
  });

  test("concurrent calls wait for an in-flight configure, and run in parallel", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inFlight = 0;
    let maxInFlight = 0;
    const slowRead: ResourceDefinition<{ prefix: string }> = {
      ...echoResource,
      read: async ({ state, provider }) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        return { newState: { ...state, message: provider.prefix } };
      },
    };
    const def: ProviderDefinition<{ prefix: string }> = {
      ...echoProvider,
      resources: [slowRead],
      configure: async () => {
        await gate;
        return { data: { prefix: "late" } };
      },
    };
    const service = new ProviderService(def, quiet);
    const configuring = service.configureProvider({ config: msgpackValue({}) });
    const reads = [1, 2, 3, 4].map((i) =>
      service.readResource({ type_name: "ghsecrets_echo", current_state: echo({ name: `n${i}` }) }),
    );
    setTimeout(release, 10);
    await configuring;
    const results = await Promise.all(reads);
    for (const res of results) expect(decoded(res.new_state)?.message).toBe("late");
    expect(maxInFlight).toBeGreaterThan(1);
  });

  test("StopProvider aborts the signal handed to in-flight resource code", async () => {
    const waiting: ResourceDefinition<unknown> = {
      ...(echoResource as ResourceDefinition<unknown>),
      apply: (_req, ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener("abort", () => reject(new DOMException("stopped", "AbortError")));
        }),
    };
    const service = await configured({ ...echoProvider, resources: [waiting] } as never);
    const pending = service.applyResourceChange({
      type_name: "ghsecrets_echo",
      prior_state: echo(null),
      planned_state: echo({ name: "a" }),
      config: echo({ name: "a" }),
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(await service.stopProvider()).toEqual({ Error: "" });
    const res = await pending;
    expect(summaries(res).join()).toMatch(/cancelled/);
  });

  test("errors that are not Error objects never leak their content", async () => {
    const weird: ResourceDefinition<unknown> = {
      ...(echoResource as ResourceDefinition<unknown>),
      read: async () => {
        throw { token: "ghp_SECRET" };
      },
    };
    const service = await configured({ ...echoProvider, resources: [weird] } as never);
    const res = await service.readResource({
      type_name: "ghsecrets_echo",
      current_state: echo({ name: "a" }),
    });
    expect(JSON.stringify(res.diagnostics)).not.toContain("ghp_SECRET");
    expect(decoded(res.new_state)).toMatchObject({ name: "a" }); // a failed read keeps the object
  });
});

describe("logger", () => {
  test("hclog JSON lines with microsecond timestamps, filtered by level", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", write: (l) => lines.push(l) }).with({ tf_rpc: "X" });
    logger.debug("hidden");
    logger.info("shown", { n: 1 });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ "@level": "info", "@message": "shown", tf_rpc: "X", n: 1 });
    expect(entry["@timestamp"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });
});

describe("certificate", () => {
  test("self-signed ECDSA P-256 CA for localhost with server and client auth", () => {
    const { der, certPem, keyPem } = createSelfSignedCertificate();
    const cert = new X509Certificate(der);
    expect(cert.subject).toBe("CN=localhost");
    expect(cert.subjectAltName).toBe("DNS:localhost");
    expect(cert.ca).toBe(true);
    expect(cert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]); // Node reports the EKU here
    expect(cert.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: "prime256v1" });
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkHost("localhost")).toBe("localhost");
    expect(certPem).toContain("BEGIN CERTIFICATE");
    expect(keyPem).toContain("BEGIN PRIVATE KEY");
  });
});

// --- the bundle as a process -----------------------------------------------------------------

const tmpRoot = mkdtempSync(join(tmpdir(), "ghsecrets-plumbing-"));
const bundlePath = join(tmpRoot, "echo-provider.cjs");
const children: ChildProcess[] = [];

beforeAll(async () => {
  await run(
    process.execPath,
    [
      join(ROOT, "scripts/bundle-provider.mjs"),
      "--entry",
      "test/fixtures/echo-provider.ts",
      "--out",
      bundlePath,
    ],
    { cwd: ROOT },
  );
}, 60_000);

afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  rmSync(tmpRoot, { recursive: true, force: true });
});

function startBundle(env: NodeJS.ProcessEnv): {
  child: ChildProcess;
  firstLine: Promise<string>;
  exited: Promise<number | null>;
  stderr: () => string;
} {
  const child = spawn(process.execPath, [bundlePath], { env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const firstLine = new Promise<string>((resolveLine, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolveLine(out.split("\n")[0]);
    });
    child.once("exit", () => reject(new Error(`exited before the handshake; stderr: ${err}`)));
  });
  firstLine.catch(() => undefined);
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return { child, firstLine, exited, stderr: () => err };
}

/** The caller's environment without its Terraform log settings, plus `extra`. */
function pluginEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("TF_LOG")) delete env[key];
  return { ...env, ...extra };
}

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

// --- the implicit local mirror ---------------------------------------------------------------

describe("writeProviderMirror", () => {
  test("writes launcher + bundle per platform, leaves identical files alone, explains a missing bundle", () => {
    const dir = join(tmpRoot, "mirror");
    const first = writeProviderMirror(dir, { bundlePath });
    expect(first.source).toBe(PROVIDER_SOURCE);
    expect(first.version).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
    expect(first.directories.map((d) => d.split("/").pop())).toEqual(DEFAULT_PLATFORMS);
    for (const d of first.directories) {
      const files = readdirSync(d).sort();
      expect(files).toEqual(["ghsecrets-provider.cjs", `terraform-provider-ghsecrets_v${first.version}`]);
      const launcher = join(d, files[1]);
      expect(statSync(launcher).mode & 0o111).toBe(0o111);
      expect(readFileSync(launcher, "utf8")).toMatch(
        /^#!\/bin\/sh\n[\s\S]*node_bin="\$\{CDKTF_GITHUB_SECRETS_NODE:-node\}"[\s\S]*exec "\$node_bin" "\$dir\/ghsecrets-provider.cjs" "\$@"\n$/,
      );
      expect(readFileSync(join(d, files[0])).equals(readFileSync(bundlePath))).toBe(true);
    }
    const launcher = join(first.directories[0], `terraform-provider-ghsecrets_v${first.version}`);
    const noNode = spawnSync(launcher, [], {
      env: { ...process.env, CDKTF_GITHUB_SECRETS_NODE: "/nonexistent/node" },
      encoding: "utf8",
    });
    expect(noNode.status).toBe(1);
    expect(noNode.stderr).toMatch(/needs Node.js >= 20, but '\/nonexistent\/node' was not found/);
    const byHand = spawnSync(launcher, [], {
      env: pluginEnv({ CDKTF_GITHUB_SECRETS_NODE: process.execPath, TF_PLUGIN_MAGIC_COOKIE: "" }),
      encoding: "utf8",
    });
    expect(byHand.status).toBe(1);
    expect(byHand.stderr).toMatch(/started by Terraform, not by hand/);

    const bundleCopy = join(first.directories[0], "ghsecrets-provider.cjs");
    const before = statSync(bundleCopy).mtimeMs;
    writeProviderMirror(dir, { bundlePath });
    expect(statSync(bundleCopy).mtimeMs).toBe(before);
    expect(() => writeProviderMirror(dir, { bundlePath: join(tmpRoot, "missing.cjs") })).toThrow(
      /bundled Terraform provider is missing/,
    );
    expect(() => writeProviderMirror(dir, { bundlePath, platforms: ["linux amd64"] })).toThrow(
      /invalid platform/,
    );
  });
});

describe("cdktf-github-secrets CLI", () => {
  const cli = (args: string[]) =>
    run(process.execPath, ["--import", "tsx", join(ROOT, "src/cli.ts"), ...args], { cwd: ROOT }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );

  test("usage errors exit 2, invalid platforms exit 1 with the reason", async () => {
    const usage = await cli([]);
    expect(usage.code).toBe(2);
    expect(usage.out).toMatch(/usage: cdktf-github-secrets mirror <terraform working directory>/);
    const bad = await cli(["mirror", join(tmpRoot, "cli"), "--platform", "linux"]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/invalid platform "linux"/);
  }, 20_000);
});

// --- the real terraform ----------------------------------------------------------------------

describe("terraform drives the bundled provider", () => {
  const work = join(tmpRoot, "tf");
  const cliConfig = join(tmpRoot, "empty.tfrc");
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const base = pluginEnv({
      CHECKPOINT_DISABLE: "1",
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      ...extra,
    });
    delete base.TF_PLUGIN_CACHE_DIR;
    delete base.TF_DATA_DIR;
    return base;
  };
  const terraform = async (
    args: string[],
    extra: NodeJS.ProcessEnv = {},
  ): Promise<{ code: number; out: string }> => {
    try {
      const { stdout, stderr } = await run("terraform", [...args, "-no-color"], {
        cwd: work,
        env: env(extra),
        timeout: 60_000,
      });
      return { code: 0, out: stdout + stderr };
    } catch (error) {
      const e = error as { code?: number | string; stdout?: string; stderr?: string };
      if (typeof e.code !== "number") throw error;
      return { code: e.code, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
  };
  const writeConfig = (resources: Record<string, Message>, extra: Message = {}) =>
    writeFileSync(
      join(work, "main.tf.json"),
      JSON.stringify({
        terraform: { required_providers: { ghsecrets: { source: PROVIDER_SOURCE, version: "0.1.0" } } },
        provider: { ghsecrets: { prefix: "echo-" } },
        variable: { secret: { type: "string", sensitive: true, ephemeral: true } },
        resource: { ghsecrets_echo: resources },
        ...extra,
      }),
    );
  const leftoverProviders = (): number[] => {
    const pids: number[] = [];
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const args = readFileSync(`/proc/${entry}/cmdline`, "utf8");
        if (args.includes("ghsecrets-provider.cjs") && readlinkSync(`/proc/${entry}/cwd`) === work)
          pids.push(Number(entry));
      } catch {
        // the process ended meanwhile
      }
    }
    return pids;
  };

  test("init offline, plan, apply, no-op plan, in-place update, replace, import, destroy; no leftovers", async () => {
    const version = await run("terraform", ["version", "-json"], { env: env() }).catch(() => {
      throw new Error("terraform not found on PATH: install Terraform >= 1.11 to run these tests");
    });
    const [major, minor] = (JSON.parse(version.stdout).terraform_version as string).split(".").map(Number);
    if (major < 1 || (major === 1 && minor < 11))
      throw new Error("install Terraform >= 1.11 (write-only attributes need it)");

    mkdirSync(work, { recursive: true });
    writeFileSync(cliConfig, "");
    writeProviderMirror(work, { bundlePath });
    writeConfig({ one: { name: "alpha", message: "hi", secret: "${var.secret}" } });
    const secret = { TF_VAR_secret: "s3cret-value-1" };

    const init = await terraform(["init", "-input=false"]);
    expect(init.out).toMatch(
      /Installed cdktf-github-secrets\.local\/ghsecrets\/ghsecrets v0\.1\.0 \(unauthenticated\)/,
    );
    expect(init.code).toBe(0);

    const plan = await terraform(["plan", "-detailed-exitcode"], secret);
    expect(plan.out).toMatch(/secret\s+= \(write-only attribute\)/);
    expect(plan.out).toMatch(/id\s+= \(known after apply\)/);
    expect(plan.code).toBe(2);

    const log = join(tmpRoot, "provider.log");
    const apply = await terraform(["apply", "-auto-approve"], {
      ...secret,
      TF_LOG_PROVIDER: "DEBUG",
      TF_LOG_PATH: log,
    });
    expect(apply.out).toMatch(/Creation complete.*\[id=echo-alpha\]/);
    expect(apply.code).toBe(0);
    const state = readFileSync(join(work, "terraform.tfstate"), "utf8");
    expect(state).toContain('"secret": null');
    expect(state).not.toContain("s3cret-value");
    const logText = readFileSync(log, "utf8");
    expect(logText).toMatch(
      /\[INFO\] {2}provider\.terraform-provider-ghsecrets_v0\.1\.0: echo apply: .*name=alpha/,
    ); // hclog JSON lines reached Terraform's log
    expect(logText).not.toContain("s3cret-value");

    expect((await terraform(["plan", "-detailed-exitcode"], secret)).code).toBe(0);

    const changedSecret = { TF_VAR_secret: "s3cret-value-2" };
    const update = await terraform(["plan", "-detailed-exitcode"], changedSecret);
    expect(update.out).toMatch(/will be updated in-place/);
    expect(update.code).toBe(2);

    writeConfig({ one: { name: "beta", message: "hi", secret: "${var.secret}" } });
    const replacePlan = await terraform(["plan", "-detailed-exitcode"], changedSecret);
    expect(replacePlan.out).toMatch(/must be replaced/);
    expect(replacePlan.out).toMatch(/name\s+= "alpha" -> "beta" # forces replacement/);
    expect(replacePlan.code).toBe(2);
    const replaced = await terraform(["apply", "-auto-approve"], changedSecret);
    expect(replaced.out).toMatch(/1 added, 0 changed, 1 destroyed/);

    writeConfig(
      { one: { name: "beta", message: "hi", secret: "${var.secret}" }, two: { name: "gamma" } },
      { import: [{ to: "ghsecrets_echo.two", id: "gamma" }] },
    );
    const imported = await terraform(["apply", "-auto-approve"], changedSecret);
    expect(imported.out).toMatch(/1 imported, 0 added, 0 changed, 0 destroyed/);
    expect((await terraform(["plan", "-detailed-exitcode"], changedSecret)).code).toBe(0);

    const destroyLog = join(tmpRoot, "destroy.log");
    const destroy = await terraform(["destroy", "-auto-approve"], {
      ...changedSecret,
      TF_LOG: "debug",
      TF_LOG_PATH: destroyLog,
    });
    expect(destroy.out).toMatch(/2 destroyed/);
    expect(destroy.code).toBe(0);

    // Every provider process left on Shutdown by itself: go-plugin kills one that is still there
    // after 2 s, and says so.
    const destroyLogText = readFileSync(destroyLog, "utf8");
    expect(destroyLogText).toMatch(/provider exiting: reason=Shutdown/);
    expect(destroyLogText).not.toMatch(
      /failed to exit gracefully|plugin process exited.*error=signal: killed/,
    );
    const deadline = Date.now() + 1000;
    while (leftoverProviders().length > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(leftoverProviders()).toEqual([]);
  }, 120_000);
});
