/**
 * The signal each RPC hands resource code: aborted when Terraform cancels that call, or when
 * StopProvider stops them all; one call's cancellation never reaches another call.
 */
import { encode } from "@msgpack/msgpack";
import type { ProviderDefinition, ResourceDefinition } from "../src/provider/framework";
import { createLogger } from "../src/provider/framework/logger";
import { ProviderService } from "../src/provider/framework/provider-service";
import type { Message } from "../src/provider/protocol/messages";
import { encodeDynamicValue, type ObjectType } from "../src/provider/protocol/values";
import { echoProvider, echoResource } from "./fixtures/echo-provider";

const ECHO_TYPE = Object.fromEntries(
  Object.entries(echoResource.attributes).map(([name, a]) => [name, a.type]),
) as ObjectType;
const echo = (value: Record<string, unknown> | null): Message =>
  encodeDynamicValue(value as never, ECHO_TYPE);
const summaries = (res: Message) => (res.diagnostics as Message[]).map((d) => `${d.summary}: ${d.detail}`);

/** An echo provider whose apply waits until its signal aborts; `seen` holds each apply's signal. */
async function waitingService(): Promise<{ service: ProviderService; seen: AbortSignal[] }> {
  const seen: AbortSignal[] = [];
  const waiting: ResourceDefinition<unknown> = {
    ...(echoResource as ResourceDefinition<unknown>),
    apply: (_req, ctx) =>
      new Promise((_resolve, reject) => {
        seen.push(ctx.signal);
        if (ctx.signal.aborted) reject(new DOMException("stopped", "AbortError"));
        ctx.signal.addEventListener("abort", () => reject(new DOMException("stopped", "AbortError")));
      }),
  };
  const def = { ...echoProvider, resources: [waiting] } as ProviderDefinition<unknown>;
  const service = new ProviderService(def, createLogger({ level: "off" }));
  const res = await service.configureProvider({
    config: { msgpack: encode({ prefix: "p-" }) },
    client_capabilities: { write_only_attributes_allowed: true },
  });
  expect(res.diagnostics).toEqual([]);
  return { service, seen };
}

const apply = (service: ProviderService, name: string, callSignal?: AbortSignal) =>
  service.applyResourceChange(
    {
      type_name: "ghsecrets_echo",
      prior_state: echo(null),
      planned_state: echo({ name }),
      config: echo({ name }),
    },
    callSignal,
  );

/** Resolves once `count` applies have reached resource code (bounded). */
async function reached(seen: AbortSignal[], count: number): Promise<void> {
  for (let i = 0; i < 200 && seen.length < count; i++) await new Promise((r) => setTimeout(r, 5));
  expect(seen).toHaveLength(count);
}

test("a call Terraform cancels aborts that call's signal only; StopProvider then aborts the rest", async () => {
  const { service, seen } = await waitingService();
  const first = new AbortController();
  const second = new AbortController();
  let secondSettled = false;
  const a = apply(service, "a", first.signal);
  const b = apply(service, "b", second.signal).finally(() => (secondSettled = true));
  await reached(seen, 2);

  first.abort();
  expect(summaries(await a).join()).toMatch(/cancelled/);
  expect(seen[0].aborted).toBe(true);
  expect(seen[1].aborted).toBe(false);
  expect(secondSettled).toBe(false);

  await service.stopProvider();
  expect(summaries(await b).join()).toMatch(/cancelled/);
  expect(seen[1].aborted).toBe(true);
});

test("a call arriving already cancelled, or after StopProvider, starts with an aborted signal", async () => {
  const { service, seen } = await waitingService();
  const cancelled = new AbortController();
  cancelled.abort();
  expect(summaries(await apply(service, "a", cancelled.signal)).join()).toMatch(/cancelled/);
  expect(seen[0].aborted).toBe(true);

  await service.stopProvider();
  expect(summaries(await apply(service, "b", new AbortController().signal)).join()).toMatch(/cancelled/);
  expect(summaries(await apply(service, "c")).join()).toMatch(/cancelled/);
  expect(seen.slice(1).map((s) => s.aborted)).toEqual([true, true]);
});

test("a finished call's signal is not aborted by a later StopProvider (nothing is kept per call)", async () => {
  const signals: AbortSignal[] = [];
  const quick: ResourceDefinition<unknown> = {
    ...(echoResource as ResourceDefinition<unknown>),
    read: async ({ state }, ctx) => {
      signals.push(ctx.signal);
      return { newState: state };
    },
  };
  const def = { ...echoProvider, resources: [quick] } as ProviderDefinition<unknown>;
  const readService = new ProviderService(def, createLogger({ level: "off" }));
  await readService.configureProvider({ config: { msgpack: encode({ prefix: "p-" }) } });
  for (const name of ["a", "b", "c"]) {
    const res = await readService.readResource(
      { type_name: "ghsecrets_echo", current_state: echo({ name }) },
      new AbortController().signal,
    );
    expect(res.diagnostics).toEqual([]);
  }
  await readService.stopProvider();
  expect(signals.map((s) => s.aborted)).toEqual([false, false, false]);
});
