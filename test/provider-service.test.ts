/**
 * ProviderService, the generic half of the provider (schema, values, write-only, replacement, state
 * upgrade, errors, configure hand-off), driven with the echo resource of test/fixtures.
 */
import { encode } from "@msgpack/msgpack";
import { UNKNOWN, type ProviderDefinition, type ResourceDefinition } from "../src/provider/framework";
import { createLogger } from "../src/provider/framework/logger";
import { ProviderService } from "../src/provider/framework/provider-service";
import type { Message } from "../src/provider/protocol/messages";
import { decodeDynamicValue, encodeDynamicValue, type ObjectType } from "../src/provider/protocol/values";
import { echoProvider, echoResource } from "./fixtures/echo-provider";

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
