import type { Diagnostic } from "../protocol/diagnostics";

/** Thrown by resource code to report diagnostics (errors and warnings) instead of a bare message. */
export class DiagnosticError extends Error {
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic | Diagnostic[]) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map((d) => d.summary).join("; ") || "Diagnostic error");
    this.name = "DiagnosticError";
    this.diagnostics = list;
  }
}

export function errorDiagnostic(summary: string, detail?: string, attribute?: string): Diagnostic {
  return { severity: "error", summary, detail, attribute };
}
