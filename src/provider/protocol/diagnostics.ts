import type { Message } from "./messages";

export type Severity = "error" | "warning";

/**
 * A problem shown to the Terraform user. `attribute` is a top-level attribute name (the schemas
 * here are flat): Terraform then points at that line of the configuration.
 */
export interface Diagnostic {
  severity: Severity;
  summary: string;
  detail?: string;
  attribute?: string;
}

const SEVERITY = { error: 1, warning: 2 } as const;

export function attributePathToProto(attribute: string): Message {
  return { steps: [{ attribute_name: attribute }] };
}

export function diagnosticToProto(diagnostic: Diagnostic): Message {
  const message: Message = {
    severity: SEVERITY[diagnostic.severity] ?? SEVERITY.error,
    summary: diagnostic.summary,
    detail: diagnostic.detail ?? "",
  };
  if (diagnostic.attribute) message.attribute = attributePathToProto(diagnostic.attribute);
  return message;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
