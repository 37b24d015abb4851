import { types } from "node:util";
import { attributePathToProto, diagnosticToProto, hasErrors, type Diagnostic } from "../protocol/diagnostics";
import type { Message } from "../protocol/messages";
import {
  UNKNOWN,
  ValueError,
  ctyTypeJson,
  decodeDynamicValue,
  encodeDynamicValue,
  objectFromRaw,
  type ObjectType,
  type ObjectValue,
} from "../protocol/values";
import { checkDefinition } from "./definition-check";
import { DiagnosticError, errorDiagnostic } from "./diagnostic-error";
import { attributesForcingReplacement } from "./replacement";
import type { Logger } from "./logger";
import type {
  Attributes,
  ClientCapabilities,
  ProviderDefinition,
  ResourceContext,
  ResourceDefinition,
} from "./types";

/** Terraform sends plan/apply calls concurrently; every method here is safe to run in parallel. */
export type RpcHandler = (request: Message, callSignal?: AbortSignal) => Promise<Message>;

type Configured = { ok: true; data: unknown } | { ok: false };

const WRITE_ONLY_TERRAFORM = "1.11";

function objectType(attributes: Attributes): ObjectType {
  const type: ObjectType = {};
  for (const [name, a] of Object.entries(attributes)) type[name] = a.type;
  return type;
}

function writeOnlyNames(attributes: Attributes): string[] {
  return Object.entries(attributes)
    .filter(([, a]) => a.writeOnly)
    .map(([name]) => name);
}

/** Write-only values never leave the provider in a plan, a state or an import result. */
function withoutWriteOnly(value: ObjectValue | null, names: string[]): ObjectValue | null {
  if (value === null || names.length === 0) return value;
  const copy = { ...value };
  for (const name of names) copy[name] = null;
  return copy;
}

/**
 * Errors from Node itself (fetch, DOMException on abort) may come from another realm (Jest's
 * sandbox), where instanceof Error fails: recognise them by brand instead.
 */
function isErrorObject(error: unknown): error is Error {
  return (
    error instanceof Error ||
    types.isNativeError(error) ||
    (typeof DOMException !== "undefined" && error instanceof DOMException)
  );
}

/** Turns anything thrown by resource code into diagnostics: the message only, never a stack. */
function thrownToDiagnostics(error: unknown, summary: string): Diagnostic[] {
  if (error instanceof DiagnosticError) return error.diagnostics;
  if (error instanceof ValueError)
    return [errorDiagnostic(summary, error.message, error.attribute || undefined)];
  if (isErrorObject(error)) {
    const detail =
      error.name === "AbortError" ? "The operation was cancelled (Terraform is stopping)." : error.message;
    return [errorDiagnostic(summary, detail)];
  }
  return [errorDiagnostic(summary, typeof error === "string" ? error : "An unexpected error occurred.")];
}

function response(diagnostics: Diagnostic[], fields: Message = {}): Message {
  return { ...fields, diagnostics: diagnostics.map(diagnosticToProto) };
}

/** What run() hands an RPC's body: its logger and its signal. */
interface RpcScope {
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

interface Resource {
  def: ResourceDefinition<unknown>;
  type: ObjectType;
  writeOnly: string[];
}

/**
 * The generic half of a provider, in terraform-plugin-framework's spirit: schema, value
 * decoding, write-only handling, replacement detection, upgrade of stored state, error
 * conversion, the configured-provider hand-off. Resource code only decides.
 */
export class ProviderService {
  private readonly resources = new Map<string, Resource>();
  private readonly providerType: ObjectType;
  private readonly stopController = new AbortController();
  /** The signals of the RPCs running now, aborted together by StopProvider. */
  private readonly inFlight = new Set<AbortController>();
  private configured: Promise<Configured> | undefined;
  /** From ConfigureProvider; ApplyResourceChange carries none of its own. */
  private capabilities: ClientCapabilities = { writeOnlyAttributesAllowed: false };
  private schemaResponse: Message | undefined;

  constructor(
    private readonly def: ProviderDefinition<unknown>,
    private readonly logger: Logger,
  ) {
    checkDefinition(def);
    this.providerType = objectType(def.attributes);
    for (const resource of def.resources) {
      this.resources.set(resource.typeName, {
        def: resource,
        type: objectType(resource.attributes),
        writeOnly: writeOnlyNames(resource.attributes),
      });
    }
  }

  /** The RPCs of tfplugin6.Provider this service answers, by method name. */
  handlers(): Record<string, RpcHandler> {
    return {
      GetProviderSchema: () => this.getProviderSchema(),
      ValidateProviderConfig: (req, signal) => this.validateProviderConfig(req, signal),
      ConfigureProvider: (req, signal) => this.configureProvider(req, signal),
      ValidateResourceConfig: (req, signal) => this.validateResourceConfig(req, signal),
      UpgradeResourceState: (req) => this.upgradeResourceState(req),
      ReadResource: (req, signal) => this.readResource(req, signal),
      PlanResourceChange: (req, signal) => this.planResourceChange(req, signal),
      ApplyResourceChange: (req, signal) => this.applyResourceChange(req, signal),
      ImportResourceState: (req, signal) => this.importResourceState(req, signal),
      StopProvider: () => this.stopProvider(),
    };
  }

  /** StopProvider: cancel in-flight and later work; Terraform is shutting down. */
  stop(): void {
    if (!this.stopController.signal.aborted) this.stopController.abort();
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  // --- helpers ---------------------------------------------------------------------------------

  /**
   * One RPC's context. `scope` comes from run(): its logger and its signal, which aborts when
   * Terraform cancels the call or stops the provider.
   */
  private context(scope: RpcScope, capabilities?: Message): ResourceContext {
    return {
      logger: scope.logger,
      signal: scope.signal,
      clientCapabilities: capabilities
        ? { writeOnlyAttributesAllowed: !!capabilities.write_only_attributes_allowed }
        : this.capabilities,
    };
  }

  private resource(typeName: string): Resource {
    const resource = this.resources.get(typeName);
    if (!resource) {
      throw new DiagnosticError(
        errorDiagnostic(
          "Unknown resource type",
          `The provider "${this.def.typeName}" has no resource type "${typeName}".`,
        ),
      );
    }
    return resource;
  }

  private async providerData(): Promise<unknown> {
    if (!this.configured) {
      throw new DiagnosticError(
        errorDiagnostic(
          "Provider not configured",
          "Terraform called a resource operation before ConfigureProvider.",
        ),
      );
    }
    const outcome = await this.configured;
    if (!outcome.ok) {
      throw new DiagnosticError(
        errorDiagnostic(
          "Provider not configured",
          "The provider configuration failed; see the errors reported for it.",
        ),
      );
    }
    return outcome.data;
  }

  private writeOnlyNotAllowed(
    resource: Resource,
    config: ObjectValue | null,
    ctx: ResourceContext,
  ): Diagnostic[] {
    if (ctx.clientCapabilities.writeOnlyAttributesAllowed || config === null) return [];
    return resource.writeOnly
      .filter((name) => config[name] !== null && config[name] !== undefined)
      .map((name) =>
        errorDiagnostic(
          "Write-only attribute not supported by this Terraform",
          `The attribute "${name}" is write-only, which needs Terraform ${WRITE_ONLY_TERRAFORM} or later. ` +
            `Upgrade Terraform, or set the value another way.`,
          name,
        ),
      );
  }

  /**
   * Runs one RPC: logs it, and turns anything thrown into the response's diagnostics. The RPC's
   * signal is one AbortController, aborted by the call's own signal or by StopProvider: not
   * AbortSignal.any, which costs ~10x as much per call and leaves a weak reference to every
   * combined signal in the long-lived stop signal, for the garbage collector to clear (measured in
   * docs/PERFORMANCE.md: three RPCs per secret in a plan).
   */
  private async run(
    rpc: string,
    typeName: string | undefined,
    summary: string,
    callSignal: AbortSignal | undefined,
    body: (scope: RpcScope) => Promise<Message>,
  ): Promise<Message> {
    const started = Date.now();
    const logger = this.logger.with({ tf_rpc: rpc, tf_resource_type: typeName });
    const controller = new AbortController();
    const abort = () => controller.abort();
    if (this.stopController.signal.aborted || callSignal?.aborted) abort();
    else {
      this.inFlight.add(controller);
      callSignal?.addEventListener("abort", abort, { once: true });
    }
    try {
      const result = await body({ logger, signal: controller.signal });
      logger.debug("rpc done", { duration_ms: Date.now() - started });
      return result;
    } catch (error) {
      const diagnostics = thrownToDiagnostics(error, summary);
      logger.debug("rpc failed", {
        duration_ms: Date.now() - started,
        error_kind: isErrorObject(error) ? error.name : typeof error,
      });
      return response(diagnostics);
    } finally {
      this.inFlight.delete(controller);
      callSignal?.removeEventListener("abort", abort);
    }
  }

  private async guarded<T>(
    summary: string,
    call: () => T | Promise<T>,
  ): Promise<{ value?: T; diagnostics: Diagnostic[] }> {
    try {
      return { value: await call(), diagnostics: [] };
    } catch (error) {
      return { diagnostics: thrownToDiagnostics(error, summary) };
    }
  }

  private encode(resource: Resource, value: ObjectValue | null): Message {
    return encodeDynamicValue(withoutWriteOnly(value, resource.writeOnly), resource.type);
  }

  // --- RPCs ------------------------------------------------------------------------------------

  async getProviderSchema(): Promise<Message> {
    if (!this.schemaResponse) {
      const resourceSchemas: Record<string, Message> = {};
      for (const { def } of this.resources.values()) {
        resourceSchemas[def.typeName] = schemaToProto(def.attributes, def.version, def.description);
      }
      this.schemaResponse = response([], {
        provider: schemaToProto(this.def.attributes, 0, ""),
        resource_schemas: resourceSchemas,
        // The schema never changes within a version: Terraform may cache it between launches.
        server_capabilities: { get_provider_schema_optional: true },
      });
    }
    return this.schemaResponse;
  }

  validateProviderConfig(req: Message, signal?: AbortSignal): Promise<Message> {
    return this.run(
      "ValidateProviderConfig",
      undefined,
      "Invalid provider configuration",
      signal,
      async (scope) => {
        const config = decodeDynamicValue(req.config, this.providerType) ?? {};
        const diagnostics = this.def.validate ? await this.def.validate(config, this.context(scope)) : [];
        return response(diagnostics);
      },
    );
  }

  configureProvider(req: Message, signal?: AbortSignal): Promise<Message> {
    return this.run(
      "ConfigureProvider",
      undefined,
      "Provider configuration failed",
      signal,
      async (scope) => {
        if (req.client_capabilities) {
          this.capabilities = {
            writeOnlyAttributesAllowed: !!req.client_capabilities.write_only_attributes_allowed,
          };
        }
        const ctx = this.context(scope);
        const outcome = this.guarded("Provider configuration failed", () =>
          this.def.configure(decodeDynamicValue(req.config, this.providerType) ?? {}, ctx),
        );
        // Resource calls arriving meanwhile wait for this same outcome.
        this.configured = outcome.then(({ value, diagnostics }): Configured => {
          const all = [...diagnostics, ...(value?.diagnostics ?? [])];
          return hasErrors(all) ? { ok: false } : { ok: true, data: value?.data };
        });
        const { value, diagnostics } = await outcome;
        return response([...diagnostics, ...(value?.diagnostics ?? [])]);
      },
    );
  }

  validateResourceConfig(req: Message, signal?: AbortSignal): Promise<Message> {
    return this.run(
      "ValidateResourceConfig",
      req.type_name,
      "Invalid resource configuration",
      signal,
      async (scope) => {
        const resource = this.resource(req.type_name);
        const config = decodeDynamicValue(req.config, resource.type) ?? {};
        // Protocol 6.9+ sends capabilities here; with 6.8 (Terraform 1.11) the check waits for the plan.
        const ctx = this.context(scope, req.client_capabilities);
        const diagnostics = req.client_capabilities ? this.writeOnlyNotAllowed(resource, config, ctx) : [];
        if (resource.def.validate) diagnostics.push(...(await resource.def.validate(config, ctx)));
        return response(diagnostics);
      },
    );
  }

  upgradeResourceState(req: Message): Promise<Message> {
    return this.run(
      "UpgradeResourceState",
      req.type_name,
      "Cannot read the stored state",
      undefined,
      async () => {
        const resource = this.resource(req.type_name);
        const json = req.raw_state?.json as Uint8Array | undefined;
        if (!json || json.length === 0) {
          const legacy = req.raw_state?.flatmap && Object.keys(req.raw_state.flatmap).length > 0;
          if (!legacy) return response([], { upgraded_state: this.encode(resource, null) });
          throw new DiagnosticError(
            errorDiagnostic(
              "Unsupported state format",
              "The stored state uses the legacy flatmap format, which this provider never wrote.",
            ),
          );
        }
        const raw: unknown = JSON.parse(Buffer.from(json).toString("utf8"));
        const version = Number(req.version ?? 0);
        const current = resource.def.version;
        if (version > current) {
          throw new DiagnosticError(
            errorDiagnostic(
              "State written by a newer provider",
              `The stored state of this ${req.type_name} has schema version ${version}; this provider knows up to ${current}. Use the newer provider version.`,
            ),
          );
        }
        let value: ObjectValue | null;
        if (raw === null) value = null;
        else if (resource.def.upgradeState && version < current) {
          value = objectFromRaw(
            resource.def.upgradeState(raw as Record<string, unknown>, version),
            resource.type,
          );
        } else value = objectFromRaw(raw, resource.type);
        return response([], { upgraded_state: this.encode(resource, value) });
      },
    );
  }

  readResource(req: Message, signal?: AbortSignal): Promise<Message> {
    return this.run("ReadResource", req.type_name, `Cannot read ${req.type_name}`, signal, async (scope) => {
      const resource = this.resource(req.type_name);
      const state = decodeDynamicValue(req.current_state, resource.type);
      const keep = { private: req.private };
      if (state === null) return response([], { ...keep, new_state: this.encode(resource, null) });
      const provider = await this.providerData();
      const ctx = this.context(scope, req.client_capabilities);
      const { value, diagnostics } = await this.guarded(`Cannot read ${req.type_name}`, () =>
        resource.def.read({ state, provider }, ctx),
      );
      diagnostics.push(...(value?.diagnostics ?? []));
      // On a failed read keep the stored object as it was, so nothing is dropped from state.
      const newState = this.settleUnknowns(value ? value.newState : state, diagnostics, "after read");
      const privateData = value?.private ?? req.private;
      return response(diagnostics, { private: privateData, new_state: this.encode(resource, newState) });
    });
  }

  planResourceChange(req: Message, signal?: AbortSignal): Promise<Message> {
    return this.run(
      "PlanResourceChange",
      req.type_name,
      `Cannot plan ${req.type_name}`,
      signal,
      async (scope) => {
        const resource = this.resource(req.type_name);
        const prior = decodeDynamicValue(req.prior_state, resource.type);
        const proposed = decodeDynamicValue(req.proposed_new_state, resource.type);
        const config = decodeDynamicValue(req.config, resource.type);
        const ctx = this.context(scope, req.client_capabilities);
        const refused = this.writeOnlyNotAllowed(resource, config, ctx);
        if (refused.length > 0) return response(refused);
        const provider = await this.providerData();
        const priorPrivate = req.prior_private as Uint8Array | undefined;
        const result = await resource.def.plan({ prior, proposed, config, provider, priorPrivate }, ctx);
        const planned = withoutWriteOnly(result.planned, resource.writeOnly);
        const replace =
          prior && planned ? attributesForcingReplacement(resource.def.attributes, prior, planned) : [];
        return response(result.diagnostics ?? [], {
          planned_state: this.encode(resource, planned),
          requires_replace: replace.map(attributePathToProto),
          planned_private: result.plannedPrivate ?? req.prior_private,
        });
      },
    );
  }

  applyResourceChange(req: Message, signal?: AbortSignal): Promise<Message> {
    return this.run(
      "ApplyResourceChange",
      req.type_name,
      `Cannot apply ${req.type_name}`,
      signal,
      async (scope) => {
        const resource = this.resource(req.type_name);
        const prior = decodeDynamicValue(req.prior_state, resource.type);
        const planned = decodeDynamicValue(req.planned_state, resource.type);
        const config = decodeDynamicValue(req.config, resource.type);
        const action = prior === null ? "create" : planned === null ? "delete" : "update";
        const summary = `Cannot ${action} ${req.type_name}`;
        const provider = await this.providerData();
        const ctx = this.context(scope);
        const { value, diagnostics } = await this.guarded(summary, () =>
          resource.def.apply({ prior, planned, config, provider }, ctx),
        );
        diagnostics.push(...(value?.diagnostics ?? []));
        // A throw leaves things as they were: nothing created, or the prior object kept for a retry.
        let newState = value ? value.newState : prior;
        if (action === "delete" && !hasErrors(diagnostics)) newState = null;
        newState = this.settleUnknowns(newState, diagnostics, "after apply");
        return response(diagnostics, {
          new_state: this.encode(resource, newState),
          private: req.planned_private,
        });
      },
    );
  }

  /**
   * State holds no unknowns: after apply, read or import every value must be known. Report the
   * attribute here rather than let Terraform answer with a generic "invalid object" error.
   */
  private settleUnknowns(
    state: ObjectValue | null,
    diagnostics: Diagnostic[],
    when: string,
  ): ObjectValue | null {
    if (state === null) return null;
    const unknown = Object.keys(state).filter((name) => state[name] === UNKNOWN);
    if (unknown.length === 0) return state;
    if (!hasErrors(diagnostics)) {
      for (const name of unknown) {
        diagnostics.push(
          errorDiagnostic(
            `Provider returned an unknown value ${when}`,
            `The attribute "${name}" is unknown ${when}; state can only hold known values (use null). This is a bug in the provider.`,
            name,
          ),
        );
      }
    }
    const settled = { ...state };
    for (const name of unknown) settled[name] = null;
    return settled;
  }

  importResourceState(req: Message, signal?: AbortSignal): Promise<Message> {
    return this.run(
      "ImportResourceState",
      req.type_name,
      `Cannot import ${req.type_name}`,
      signal,
      async (scope) => {
        const resource = this.resource(req.type_name);
        const provider = await this.providerData();
        const ctx = this.context(scope, req.client_capabilities);
        const result = await resource.def.importState({ id: String(req.id ?? ""), provider }, ctx);
        const diagnostics = [...(result.diagnostics ?? [])];
        if (result.state === null || hasErrors(diagnostics)) return response(diagnostics);
        const state = this.settleUnknowns(
          objectFromRaw(result.state, resource.type),
          diagnostics,
          "in the imported state",
        );
        if (hasErrors(diagnostics)) return response(diagnostics);
        return response(diagnostics, {
          imported_resources: [{ type_name: req.type_name, state: this.encode(resource, state) }],
        });
      },
    );
  }

  async stopProvider(): Promise<Message> {
    this.logger.info("stop requested: cancelling in-flight work");
    this.stop();
    return { Error: "" };
  }
}

function schemaToProto(attributes: Attributes, version: number, description: string): Message {
  return {
    version,
    block: {
      version,
      description,
      description_kind: 0,
      attributes: Object.entries(attributes).map(([name, a]) => ({
        name,
        // The cty type in its JSON form, quotes included: "string".
        type: Buffer.from(ctyTypeJson(a.type)),
        description: a.description,
        description_kind: 0,
        required: !!a.required,
        optional: !!a.optional,
        computed: !!a.computed,
        sensitive: !!a.sensitive,
        write_only: !!a.writeOnly,
      })),
    },
  };
}
