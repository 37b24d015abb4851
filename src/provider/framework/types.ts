import type { Diagnostic } from "../protocol/diagnostics";
import type { AttributeType, ObjectValue, Value } from "../protocol/values";
import type { Logger } from "./logger";

/** One attribute of a flat schema. Exactly one of required / optional / computed (optional may join computed). */
export interface AttributeSchema {
  type: AttributeType;
  description: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  /** Terraform >= 1.11: sent in config only, never stored in plan or state (the framework nulls it). */
  writeOnly?: boolean;
  /**
   * A change of this attribute on an existing object plans a replacement (the framework reports it):
   * `true` for any change, or a test that tells which changes need one, like the plugin framework's
   * RequiresReplaceIf (called with two known, different values).
   */
  requiresReplace?: boolean | ((prior: Value, planned: Value) => boolean);
}

export type Attributes = Record<string, AttributeSchema>;

export interface ClientCapabilities {
  writeOnlyAttributesAllowed: boolean;
}

export interface ResourceContext {
  logger: Logger;
  /** Aborted when Terraform calls StopProvider (Ctrl-C) or cancels the call. */
  signal: AbortSignal;
  clientCapabilities: ClientCapabilities;
}

export type MaybePromise<T> = T | Promise<T>;

export interface PlanRequest<P> {
  prior: ObjectValue | null;
  proposed: ObjectValue | null;
  config: ObjectValue | null;
  provider: P;
  /** The provider's private data of the prior object (what the last read or apply returned). */
  priorPrivate?: Uint8Array;
}
export interface PlanResult {
  planned: ObjectValue | null;
  diagnostics?: Diagnostic[];
  /** Private data handed to apply and stored with the new object; absent: the prior's, unchanged. */
  plannedPrivate?: Uint8Array;
}

export interface ApplyRequest<P> {
  prior: ObjectValue | null;
  planned: ObjectValue | null;
  config: ObjectValue | null;
  provider: P;
}
export interface ApplyResult {
  newState: ObjectValue | null;
  diagnostics?: Diagnostic[];
}

export interface ReadRequest<P> {
  state: ObjectValue;
  provider: P;
}
/** newState null: the object is gone, Terraform drops it from state and plans a create. */
export interface ReadResult {
  newState: ObjectValue | null;
  diagnostics?: Diagnostic[];
  /**
   * Private data stored with the refreshed object (never shown by Terraform, kept in state and saved
   * plans: nothing secret); absent: the stored one, unchanged.
   */
  private?: Uint8Array;
}

export interface ImportRequest<P> {
  id: string;
  provider: P;
}
export interface ImportResult {
  state: ObjectValue | null;
  diagnostics?: Diagnostic[];
}

/**
 * A managed resource type. Values are flat objects holding every schema attribute; any value
 * may be UNKNOWN where Terraform allows it (config at validate/plan time, planned values).
 * Throwing a DiagnosticError reports its diagnostics; any other error becomes one error
 * diagnostic carrying only the error's message.
 */
export interface ResourceDefinition<P = unknown> {
  typeName: string;
  /** Schema version recorded in state; raise it together with upgradeState. */
  version: number;
  description: string;
  attributes: Attributes;
  validate?(config: ObjectValue, ctx: ResourceContext): MaybePromise<Diagnostic[]>;
  plan(req: PlanRequest<P>, ctx: ResourceContext): Promise<PlanResult>;
  apply(req: ApplyRequest<P>, ctx: ResourceContext): Promise<ApplyResult>;
  read(req: ReadRequest<P>, ctx: ResourceContext): Promise<ReadResult>;
  importState(req: ImportRequest<P>, ctx: ResourceContext): Promise<ImportResult>;
  /**
   * Only called for state written with an older `version`. Without it, stored state is read
   * as is: every current attribute, missing ones null, removed ones dropped.
   */
  upgradeState?(raw: Record<string, unknown>, fromVersion: number): ObjectValue;
}

export interface ConfigureResult<P> {
  data?: P;
  diagnostics?: Diagnostic[];
}

export interface ProviderDefinition<P = unknown> {
  /** Provider type name, e.g. "ghsecrets"; resource type names start with it and "_". */
  typeName: string;
  attributes: Attributes;
  validate?(config: ObjectValue, ctx: ResourceContext): MaybePromise<Diagnostic[]>;
  /** Called once per process before resource calls; `data` is handed to every resource call. */
  configure(config: ObjectValue, ctx: ResourceContext): Promise<ConfigureResult<P>>;
  resources: ResourceDefinition<P>[];
}
