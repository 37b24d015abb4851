/**
 * Each value is derived (scrypt) at most once per secret per provider process, in the RPC order
 * Terraform uses: the plan walk's refresh and plan share one derivation, the apply walk's apply
 * takes the fingerprint its re-plan derived, and a destroy plans and applies without any.
 * In-process (ProviderService against the emulator), counting calls to node's crypto.scrypt.
 */
import crypto from "node:crypto";
import { createLogger } from "../src/provider/framework/logger";
import { ProviderService } from "../src/provider/framework/provider-service";
import { ghsecretsProvider } from "../src/provider/ghsecrets-provider";
import type { Message } from "../src/provider/protocol/messages";
import { decodeDynamicValue, encodeDynamicValue, type ObjectType } from "../src/provider/protocol/values";
import { GithubEmulator } from "../src/testing";

const TYPE = "ghsecrets_environment_secret";
const VARIABLE = "FINGERPRINT_ONCE_TEST_VALUE";
const typeOf = (attributes: Record<string, { type: string }>) =>
  Object.fromEntries(Object.entries(attributes).map(([name, a]) => [name, a.type])) as ObjectType;
const resourceType = typeOf(ghsecretsProvider.resources[0].attributes);
const providerType = typeOf(ghsecretsProvider.attributes);
const dv = (value: Record<string, unknown> | null) =>
  value === null
    ? encodeDynamicValue(null, resourceType)
    : encodeDynamicValue(
        { ...Object.fromEntries(Object.keys(resourceType).map((k) => [k, null])), ...value } as never,
        resourceType,
      );
const decoded = (value: Message | undefined) => decodeDynamicValue(value, resourceType);
const CAPS = { write_only_attributes_allowed: true };

let emulator: GithubEmulator;
let scrypt: jest.SpyInstance;
beforeAll(async () => {
  emulator = await GithubEmulator.start({ repositories: { "acme/api": ["production"] } });
});
afterAll(() => emulator.stop());
beforeEach(() => {
  scrypt = jest.spyOn(crypto, "scrypt");
});
afterEach(() => {
  scrypt.mockRestore();
  delete process.env[VARIABLE];
});

/**
 * A fresh provider process, as Terraform starts one per walk, configured in the default (scrypt)
 * mode: fresh copies of the provider's modules, so nothing one "process" memoised reaches the next.
 */
async function providerProcess(): Promise<ProviderService> {
  let service: ProviderService | undefined;
  jest.isolateModules(() => {
    const fresh = {
      ...(require("../src/provider/framework/provider-service") as typeof import("../src/provider/framework/provider-service")),
      ...(require("../src/provider/ghsecrets-provider") as typeof import("../src/provider/ghsecrets-provider")),
    };
    service = new fresh.ProviderService(fresh.ghsecretsProvider, createLogger({ level: "off" }));
  });
  if (!service) throw new Error("the provider modules did not load");
  const config = {
    ...Object.fromEntries(Object.keys(providerType).map((k) => [k, null])),
    token: emulator.token,
    base_url: emulator.url,
    write_delay_ms: 0,
  };
  const res = await service.configureProvider({
    config: encodeDynamicValue(config as never, providerType),
    client_capabilities: CAPS,
  });
  expect(res.diagnostics).toEqual([]);
  return service;
}

const config = (name: string) =>
  dv({ repository: "acme/api", environment: "production", secret_name: name, value_env: VARIABLE });

function noErrors(res: Message): Message {
  expect(res.diagnostics ?? []).toEqual([]);
  return res;
}

/** PlanResourceChange as Terraform sends it (the configuration as the proposed state). */
const plan = (service: ProviderService, prior: Message, config: Message, priorPrivate?: Message) =>
  service
    .planResourceChange({
      type_name: TYPE,
      prior_state: prior,
      proposed_new_state: config,
      config,
      prior_private: priorPrivate,
      client_capabilities: CAPS,
    })
    .then(noErrors);

/** ApplyResourceChange of what `planned` (a PlanResourceChange response) planned. */
const apply = (service: ProviderService, prior: Message, config: Message, planned: Message) =>
  service
    .applyResourceChange({
      type_name: TYPE,
      prior_state: prior,
      planned_state: planned.planned_state,
      config,
      planned_private: planned.planned_private,
    })
    .then(noErrors);

/** `terraform apply` creating the secret: plan walk, then apply walk (re-plan + apply). */
async function create(name: string): Promise<Message> {
  await plan(await providerProcess(), dv(null), config(name));
  const applyWalk = await providerProcess();
  const planned = await plan(applyWalk, dv(null), config(name));
  return (await apply(applyWalk, dv(null), config(name), planned)).new_state;
}

test("create: nothing derived while planning, one derivation when the apply writes", async () => {
  process.env[VARIABLE] = "first value";
  const state = await create("ONCE_CREATE");
  expect(scrypt).toHaveBeenCalledTimes(1);
  expect(String(decoded(state)?.value_fingerprint)).toMatch(/^scrypt1\$/);
});

test("change: one derivation in the plan walk (refresh + plan), one in the apply walk (re-plan + apply)", async () => {
  process.env[VARIABLE] = "first value";
  const created = await create("ONCE_CHANGE");
  process.env[VARIABLE] = "second value";
  scrypt.mockClear();

  const planWalk = await providerProcess();
  const read = noErrors(
    await planWalk.readResource({ type_name: TYPE, current_state: created, client_capabilities: CAPS }),
  );
  const planned = decoded(
    (await plan(planWalk, read.new_state, config("ONCE_CHANGE"), read.private)).planned_state,
  );
  expect(scrypt).toHaveBeenCalledTimes(1);
  expect(planned?.value_fingerprint).not.toBe(decoded(created)?.value_fingerprint);

  // The apply walk's prior state is the refreshed one the plan saved, private data included.
  const applyWalk = await providerProcess();
  const replan = await plan(applyWalk, read.new_state, config("ONCE_CHANGE"), read.private);
  expect(decoded(replan.planned_state)?.value_fingerprint).toBe(planned?.value_fingerprint);
  const applied = await apply(applyWalk, read.new_state, config("ONCE_CHANGE"), replan);
  expect(scrypt).toHaveBeenCalledTimes(2);
  expect(decoded(applied.new_state)?.value_fingerprint).toBe(planned?.value_fingerprint);
  expect(emulator.getSecretValue("acme/api", "production", "ONCE_CHANGE")).toBe("second value");
});

test("destroy: the destroy plan and its apply derive nothing", async () => {
  process.env[VARIABLE] = "first value";
  const created = await create("ONCE_DESTROY");
  scrypt.mockClear();

  const planned = await plan(await providerProcess(), created, dv(null));
  expect(decoded(planned.planned_state)).toBeNull();
  const destroyed = await apply(await providerProcess(), created, dv(null), planned);
  expect(decoded(destroyed.new_state)).toBeNull();
  expect(scrypt).not.toHaveBeenCalled();
  expect(emulator.listSecrets("acme/api", "production").map((s) => s.name)).not.toContain("ONCE_DESTROY");
});
