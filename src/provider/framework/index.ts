/**
 * What resource code is written against. Import from here only.
 */
export type {
  ApplyRequest,
  ApplyResult,
  AttributeSchema,
  Attributes,
  ClientCapabilities,
  ConfigureResult,
  ImportRequest,
  ImportResult,
  MaybePromise,
  PlanRequest,
  PlanResult,
  ProviderDefinition,
  ReadRequest,
  ReadResult,
  ResourceContext,
  ResourceDefinition,
} from "./types";
export type { Diagnostic, Severity } from "../protocol/diagnostics";
export { UNKNOWN, isUnknown, type AttributeType, type ObjectValue, type Value } from "../protocol/values";
export { DiagnosticError, errorDiagnostic } from "./diagnostic-error";
export { attributesForcingReplacement } from "./replacement";
export { createLogger, type LogFields, type LogLevel, type Logger } from "./logger";
