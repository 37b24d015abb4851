/**
 * The fast tier: the provider's resources driven in this process the way Terraform drives them,
 * through ProviderService's RPC handlers, the seam just below gRPC. Values travel as msgpack
 * DynamicValues and diagnostics as protocol messages, so everything but the transport is what a real
 * run exercises; GitHub is the emulator over real HTTP on 127.0.0.1.
 *
 * Each command gets its own "provider process" per phase (a fresh, configured ProviderService), as
 * Terraform starts one for the plan and another for the apply: caches start empty, so API call counts
 * compare with a real run. Terraform's own checks of a provider's answers are repeated here (the
 * plan keeps configured values, the applied object matches the known planned values, the re-plan at
 * apply matches the saved plan), so a resource that would make Terraform report "Provider produced
 * inconsistent result" fails here too. What only Terraform can prove (the handshake, write-only
 * handling by the CLI, the lock file, signals, plan and state files) stays in the real-Terraform tests.
 */
import { isDeepStrictEqual } from "node:util";
import { createLogger } from "../../src/provider/framework/logger";
import { ProviderService } from "../../src/provider/framework/provider-service";
import type { Attributes } from "../../src/provider/framework/types";
import { ghsecretsProvider } from "../../src/provider/ghsecrets-provider";
import type { Message } from "../../src/provider/protocol/messages";
import {
  decodeDynamicValue,
  encodeDynamicValue,
  type ObjectType,
  type ObjectValue,
  UNKNOWN,
  type Value,
} from "../../src/provider/protocol/values";
import { configureProvider } from "../../src/provider/provider-config";

export { UNKNOWN };
export type { ObjectValue, Value };

export type ResourceType =
  "ghsecrets_environment_secret" | "ghsecrets_environment_secret_set" | "ghsecrets_environment_variable";

/** A resource block: its type and the attributes written in it (unset ones are null). */
export interface Declared {
  type: ResourceType;
  config: Record<string, Value>;
  /** `lifecycle { create_before_destroy = true }` */
  createBeforeDestroy?: boolean;
  /** An `import` block for this address, with its id. */
  importId?: string;
}

export interface Diag {
  severity: "error" | "warning";
  summary: string;
  detail: string;
  /** The attribute Terraform would point at. */
  attribute?: string;
  /** The resource address, when the diagnostic came from a resource. */
  address?: string;
}

export type Action = "create" | "update" | "replace" | "delete" | "no-op";

export interface Change {
  type: ResourceType;
  action: Action;
  imported: boolean;
  prior: ObjectValue | null;
  planned: ObjectValue | null;
  config: ObjectValue | null;
  plannedPrivate?: Uint8Array;
  requiresReplace: string[];
  createBeforeDestroy: boolean;
}

export interface Outcome {
  diagnostics: Diag[];
  errors: Diag[];
  warnings: Diag[];
  /** Every summary and detail, one per line: what a user reads. */
  text: string;
}

export interface Plan extends Outcome {
  changes: Record<string, Change>;
  /** The state as refreshed by this plan: what its apply starts from (a plan alone stores nothing). */
  refreshed: Map<string, StateEntry>;
  /** Addresses by action, for short assertions: `{ update: ["s1"] }`. */
  actions: Partial<Record<Action, string[]>>;
}

export interface StateEntry {
  type: ResourceType;
  value: ObjectValue;
  private?: Uint8Array;
}

export type Env = Record<string, string | undefined>;

const SEVERITY: Record<number, Diag["severity"]> = { 1: "error", 2: "warning" };

function objectType(attributes: Attributes): ObjectType {
  return Object.fromEntries(Object.entries(attributes).map(([name, a]) => [name, a.type]));
}

const RESOURCES = new Map(ghsecretsProvider.resources.map((r) => [r.typeName, r]));
const PROVIDER_TYPE = objectType(ghsecretsProvider.attributes);

function schemaOf(type: string): { attributes: Attributes; type: ObjectType } {
  const def = RESOURCES.get(type);
  if (!def) throw new Error(`no resource type ${type} in the provider`);
  return { attributes: def.attributes, type: objectType(def.attributes) };
}

/** Every attribute of the schema, null where not given. */
function full(type: ObjectType, values: Record<string, Value>): ObjectValue {
  const unknownNames = Object.keys(values).filter((name) => !(name in type));
  if (unknownNames.length > 0) throw new Error(`unknown attribute(s) ${unknownNames.join(", ")}`);
  return Object.fromEntries(Object.keys(type).map((name) => [name, values[name] ?? null]));
}

function outcome(diagnostics: Diag[]): Outcome {
  return {
    diagnostics,
    errors: diagnostics.filter((d) => d.severity === "error"),
    warnings: diagnostics.filter((d) => d.severity === "warning"),
    text: diagnostics.map((d) => `${d.summary}\n${d.detail}`).join("\n"),
  };
}

function diagsOf(res: Message, address?: string): Diag[] {
  return ((res.diagnostics ?? []) as Message[]).map((d) => ({
    severity: SEVERITY[d.severity] ?? "error",
    summary: String(d.summary),
    detail: String(d.detail ?? ""),
    ...(d.attribute ? { attribute: String(d.attribute.steps[0].attribute_name) } : {}),
    ...(address ? { address } : {}),
  }));
}

/** Terraform's own complaint about a provider answer: a bug in the provider, never a user error. */
function inconsistency(address: string, summary: string, detail: string): Diag {
  return { severity: "error", summary, detail: `${detail} This is a bug in the provider.`, address };
}

/** A fresh provider process: configured, with `env` as its environment. */
export class ProviderProcess {
  private constructor(
    private readonly service: ProviderService,
    readonly configureDiagnostics: Diag[],
    private readonly writeOnlyAllowed: boolean,
  ) {}

  static async start(options: {
    env: Env;
    provider: Record<string, Value>;
    logLines?: string[];
    writeOnlyAllowed?: boolean;
  }): Promise<ProviderProcess> {
    const env = Object.fromEntries(
      Object.entries(options.env).filter(([, v]) => v !== undefined),
    ) as NodeJS.ProcessEnv;
    const logger = createLogger(
      options.logLines ? { level: "trace", write: (line) => options.logLines!.push(line) } : { level: "off" },
    );
    // The provider reads its environment at configure: this process's own, here.
    const def = { ...ghsecretsProvider, configure: configureWith(env) };
    const service = new ProviderService(def as never, logger);
    const config = encodeDynamicValue(full(PROVIDER_TYPE, options.provider), PROVIDER_TYPE);
    const writeOnlyAllowed = options.writeOnlyAllowed ?? true;
    const validated = diagsOf(await service.validateProviderConfig({ config }));
    const configured = validated.some((d) => d.severity === "error")
      ? []
      : diagsOf(
          await service.configureProvider({
            config,
            client_capabilities: { write_only_attributes_allowed: writeOnlyAllowed },
          }),
        );
    return new ProviderProcess(service, [...validated, ...configured], writeOnlyAllowed);
  }

  private get caps(): Message {
    return { write_only_attributes_allowed: this.writeOnlyAllowed };
  }

  async validate(type: string, config: ObjectValue, address?: string): Promise<Diag[]> {
    const t = schemaOf(type).type;
    return diagsOf(
      await this.service.validateResourceConfig({ type_name: type, config: encodeDynamicValue(config, t) }),
      address,
    );
  }

  async read(
    type: string,
    state: ObjectValue,
    priv?: Uint8Array,
    address?: string,
  ): Promise<{ state: ObjectValue | null; private?: Uint8Array; diagnostics: Diag[] }> {
    const t = schemaOf(type).type;
    const res = await this.service.readResource({
      type_name: type,
      current_state: encodeDynamicValue(state, t),
      private: priv,
      client_capabilities: this.caps,
    });
    return {
      state: decodeDynamicValue(res.new_state, t),
      private: res.private,
      diagnostics: diagsOf(res, address),
    };
  }

  async plan(
    type: string,
    prior: ObjectValue | null,
    config: ObjectValue | null,
    priorPrivate?: Uint8Array,
    address = type,
  ): Promise<{
    planned: ObjectValue | null;
    requiresReplace: string[];
    plannedPrivate?: Uint8Array;
    diagnostics: Diag[];
  }> {
    const { attributes, type: t } = schemaOf(type);
    const res = await this.service.planResourceChange({
      type_name: type,
      prior_state: encodeDynamicValue(prior, t),
      proposed_new_state: encodeDynamicValue(proposedNew(attributes, prior, config), t),
      config: encodeDynamicValue(config, t),
      prior_private: priorPrivate,
      client_capabilities: this.caps,
    });
    const diagnostics = diagsOf(res, address);
    const planned = res.planned_state ? decodeDynamicValue(res.planned_state, t) : null;
    if (config && planned && !diagnostics.some((d) => d.severity === "error")) {
      // Terraform: a planned value of an attribute the configuration sets must be that value.
      for (const [name, a] of Object.entries(attributes)) {
        const expected = a.writeOnly ? null : config[name];
        if (a.computed && expected === null) continue;
        if (!isDeepStrictEqual(planned[name], expected)) {
          diagnostics.push(
            inconsistency(
              address,
              "Provider produced invalid plan",
              `Planned value for ${name} differs from config.`,
            ),
          );
        }
      }
    }
    return {
      planned,
      requiresReplace: ((res.requires_replace ?? []) as Message[]).map((p) =>
        String(p.steps[0].attribute_name),
      ),
      plannedPrivate: res.planned_private,
      diagnostics,
    };
  }

  async apply(
    type: string,
    prior: ObjectValue | null,
    planned: ObjectValue | null,
    config: ObjectValue | null,
    plannedPrivate?: Uint8Array,
    address = type,
  ): Promise<{ state: ObjectValue | null; private?: Uint8Array; diagnostics: Diag[] }> {
    const t = schemaOf(type).type;
    const res = await this.service.applyResourceChange({
      type_name: type,
      prior_state: encodeDynamicValue(prior, t),
      planned_state: encodeDynamicValue(planned, t),
      config: encodeDynamicValue(config, t),
      planned_private: plannedPrivate,
    });
    const diagnostics = diagsOf(res, address);
    const state = decodeDynamicValue(res.new_state, t);
    if (planned && state && !diagnostics.some((d) => d.severity === "error")) {
      for (const [name, value] of Object.entries(planned)) {
        if (value !== UNKNOWN && !isDeepStrictEqual(state[name], value)) {
          diagnostics.push(
            inconsistency(
              address,
              "Provider produced inconsistent result after apply",
              `.${name}: was planned as one value, the new state holds another.`,
            ),
          );
        }
      }
    }
    return { state, private: res.private, diagnostics };
  }

  async importState(
    type: string,
    id: string,
    address = type,
  ): Promise<{ state: ObjectValue | null; diagnostics: Diag[] }> {
    const t = schemaOf(type).type;
    const res = await this.service.importResourceState({
      type_name: type,
      id,
      client_capabilities: this.caps,
    });
    const imported = (res.imported_resources ?? []) as Message[];
    return {
      state: imported.length > 0 ? decodeDynamicValue(imported[0].state, t) : null,
      diagnostics: diagsOf(res, address),
    };
  }

  /** StopProvider: what Ctrl-C makes Terraform send. */
  stop(): Promise<Message> {
    return this.service.stopProvider();
  }
}

function configureWith(env: NodeJS.ProcessEnv): (typeof ghsecretsProvider)["configure"] {
  return (config, ctx) => configureProvider(config, ctx, env);
}

/** Terraform's ProposedNew for a flat schema: the config, with computed attributes it leaves unset kept from prior. */
function proposedNew(
  attributes: Attributes,
  prior: ObjectValue | null,
  config: ObjectValue | null,
): ObjectValue | null {
  if (config === null) return null;
  const proposed: ObjectValue = {};
  for (const [name, a] of Object.entries(attributes)) {
    const configured = config[name] ?? null;
    proposed[name] = configured === null && a.computed ? (prior?.[name] ?? null) : configured;
  }
  return proposed;
}

function actionsOf(changes: Record<string, Change>): Plan["actions"] {
  const actions: Plan["actions"] = {};
  for (const [address, change] of Object.entries(changes)) {
    if (change.action === "no-op" && !change.imported) continue;
    (actions[change.action] ??= []).push(address);
  }
  // The walk is concurrent: sorted, so a plan reads the same whichever call answered first.
  for (const addresses of Object.values(actions)) addresses.sort();
  return actions;
}

function allErrors(diagnostics: Diag[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/**
 * A Terraform working directory and its state: `plan`, `apply`, `import` and `destroy` as the CLI runs
 * them, with the declared resources given per call (addresses are the keys).
 */
export class InProcessTerraform {
  readonly state = new Map<string, StateEntry>();
  /** Every log line of every provider process (trace level): for leak checks. */
  readonly logLines: string[] = [];

  constructor(
    private readonly options: {
      baseUrl: string;
      token?: string;
      env?: Env;
      provider?: Record<string, Value>;
      writeOnlyAllowed?: boolean;
    },
  ) {}

  /** A provider process as this directory's commands start one; `env` is added to the base environment. */
  startProcess(env: Env = {}, provider: Record<string, Value> = {}): Promise<ProviderProcess> {
    return ProviderProcess.start({
      env: { GITHUB_TOKEN: this.options.token, ...this.options.env, ...env },
      provider: { base_url: this.options.baseUrl, write_delay_ms: 0, ...this.options.provider, ...provider },
      logLines: this.logLines,
      writeOnlyAllowed: this.options.writeOnlyAllowed,
    });
  }

  /** The stored object at `address` (fails the test when there is none). */
  get(address: string): ObjectValue {
    const entry = this.state.get(address);
    if (!entry) throw new Error(`no ${address} in state`);
    return entry.value;
  }

  /** `terraform plan`: validate, refresh (unless `refresh: false`), plan every address. */
  async plan(
    declared: Record<string, Declared>,
    options: { env?: Env; refresh?: boolean; process?: ProviderProcess } = {},
  ): Promise<Plan> {
    const proc = options.process ?? (await this.startProcess(options.env));
    const diagnostics: Diag[] = [...proc.configureDiagnostics];
    const changes: Record<string, Change> = {};
    const priors = new Map<string, StateEntry>();
    const done = (): Plan => ({
      ...outcome(diagnostics),
      changes,
      actions: actionsOf(changes),
      refreshed: priors,
    });

    const configs = new Map<string, ObjectValue>();
    for (const [address, d] of Object.entries(declared)) {
      const config = full(schemaOf(d.type).type, d.config);
      configs.set(address, config);
      diagnostics.push(...(await proc.validate(d.type, config, address)));
    }
    if (allErrors(diagnostics)) return done();

    // Refresh, every object at once (Terraform's walk is concurrent), plus the imports of import blocks.
    const imported = new Set<string>();
    await Promise.all([
      ...[...this.state].map(async ([address, entry]) => {
        if (options.refresh === false) return void priors.set(address, entry);
        const read = await proc.read(entry.type, entry.value, entry.private, address);
        diagnostics.push(...read.diagnostics);
        if (read.state) priors.set(address, { type: entry.type, value: read.state, private: read.private });
      }),
      ...Object.entries(declared).map(async ([address, d]) => {
        if (d.importId === undefined || this.state.has(address)) return;
        const found = await proc.importState(d.type, d.importId, address);
        diagnostics.push(...found.diagnostics);
        if (!found.state) return;
        const read = await proc.read(d.type, found.state, undefined, address);
        diagnostics.push(...read.diagnostics);
        if (read.state) {
          priors.set(address, { type: d.type, value: read.state, private: read.private });
          imported.add(address);
        }
      }),
    ]);
    if (allErrors(diagnostics)) return done();

    const addresses = new Set([...priors.keys(), ...Object.keys(declared)]);
    await Promise.all(
      [...addresses].map(async (address) => {
        const d = declared[address];
        const prior = priors.get(address);
        const type = d?.type ?? prior!.type;
        const config = configs.get(address) ?? null;
        const planned = await proc.plan(type, prior?.value ?? null, config, prior?.private, address);
        diagnostics.push(...planned.diagnostics);
        if (allErrors(planned.diagnostics)) return;
        let change: Change = {
          type,
          action: "update",
          imported: imported.has(address),
          prior: prior?.value ?? null,
          planned: planned.planned,
          config,
          plannedPrivate: planned.plannedPrivate,
          requiresReplace: planned.requiresReplace,
          createBeforeDestroy: d?.createBeforeDestroy ?? false,
        };
        if (!prior) change.action = "create";
        else if (!planned.planned) change.action = "delete";
        else if (planned.requiresReplace.length > 0) {
          // Terraform plans the create half of a replacement again, with no prior object.
          const create = await proc.plan(type, null, config, undefined, address);
          diagnostics.push(...create.diagnostics);
          change = {
            ...change,
            action: "replace",
            planned: create.planned,
            plannedPrivate: create.plannedPrivate,
          };
        } else if (isDeepStrictEqual(planned.planned, prior.value)) change.action = "no-op";
        changes[address] = change;
      }),
    );
    return done();
  }

  /** `terraform apply -auto-approve`: a plan, then its apply in a second provider process. */
  async apply(
    declared: Record<string, Declared>,
    options: { env?: Env; refresh?: boolean } = {},
  ): Promise<Plan> {
    const plan = await this.plan(declared, options);
    if (plan.errors.length > 0) return plan;
    const applied = await this.applyPlan(plan, options);
    return { ...plan, ...outcome([...plan.diagnostics, ...applied.diagnostics]) };
  }

  /**
   * `terraform apply <saved plan>`: a new provider process plans each change again (the final
   * plan, which must match the saved one) and applies it.
   */
  async applyPlan(plan: Plan, options: { env?: Env } = {}): Promise<Outcome> {
    const proc = await this.startProcess(options.env);
    const diagnostics: Diag[] = [...proc.configureDiagnostics];
    if (allErrors(diagnostics)) return outcome(diagnostics);
    // The apply stores the refreshed objects the plan was made against, imported ones included.
    this.state.clear();
    for (const [address, entry] of plan.refreshed) this.state.set(address, entry);
    await Promise.all(
      Object.entries(plan.changes).map(async ([address, change]) => {
        if (change.action === "no-op") return;
        const steps: Array<"delete" | "create" | "update"> =
          change.action === "replace"
            ? change.createBeforeDestroy
              ? ["create", "delete"]
              : ["delete", "create"]
            : [change.action];
        const prior = change.prior;
        for (const step of steps) {
          const ok = await this.applyStep(proc, address, change, step, step === "create" ? null : prior);
          diagnostics.push(...ok);
          if (allErrors(ok)) return;
        }
      }),
    );
    return outcome(diagnostics);
  }

  private async applyStep(
    proc: ProviderProcess,
    address: string,
    change: Change,
    step: "delete" | "create" | "update",
    prior: ObjectValue | null,
  ): Promise<Diag[]> {
    const diagnostics: Diag[] = [];
    let planned: ObjectValue | null = null;
    let plannedPrivate: Uint8Array | undefined;
    const config = step === "delete" ? null : change.config;
    const priorPrivate = this.state.get(address)?.private;
    const final = await proc.plan(
      change.type,
      prior,
      config,
      step === "create" ? undefined : priorPrivate,
      address,
    );
    diagnostics.push(...final.diagnostics);
    if (allErrors(diagnostics)) return diagnostics;
    if (step !== "delete") {
      planned = final.planned;
      plannedPrivate = final.plannedPrivate;
      const saved = change.planned!;
      for (const [name, value] of Object.entries(saved)) {
        if (value !== UNKNOWN && !isDeepStrictEqual(planned?.[name], value)) {
          diagnostics.push(
            inconsistency(
              address,
              "Provider produced inconsistent final plan",
              `.${name} differs from the saved plan.`,
            ),
          );
        }
      }
      if (allErrors(diagnostics)) return diagnostics;
    }
    const applied = await proc.apply(change.type, prior, planned, config, plannedPrivate, address);
    diagnostics.push(...applied.diagnostics);
    if (step === "delete") {
      // Terraform keeps a replaced object's new half under the address: only a plain delete removes it.
      if (!allErrors(applied.diagnostics) && change.action === "delete") this.state.delete(address);
    } else if (applied.state) {
      this.state.set(address, { type: change.type, value: applied.state, private: applied.private });
    }
    return diagnostics;
  }

  /** `terraform import <address> <id>`: the import and the refresh of the imported object. */
  async import(
    address: string,
    type: ResourceType,
    id: string,
    options: { env?: Env } = {},
  ): Promise<Outcome> {
    const proc = await this.startProcess(options.env);
    const found = await proc.importState(type, id, address);
    const diagnostics = [...proc.configureDiagnostics, ...found.diagnostics];
    if (found.state && !allErrors(diagnostics)) {
      const read = await proc.read(type, found.state, undefined, address);
      diagnostics.push(...read.diagnostics);
      if (read.state) this.state.set(address, { type, value: read.state, private: read.private });
    }
    return outcome(diagnostics);
  }

  /** `terraform destroy -auto-approve`. */
  destroy(options: { env?: Env; refresh?: boolean } = {}): Promise<Plan> {
    return this.apply({}, options);
  }
}
