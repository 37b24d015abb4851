import type { OtherChange, PlanChanges, SecretAction, SecretChange } from "./secret-changes";

/** Count labels, in the order the first line lists them. */
const COUNT_LABELS: ReadonlyArray<[SecretAction, string, string]> = [
  ["create", "to create", "to create"],
  ["import", "to import", "to import"],
  ["value-change", "value change", "value changes"],
  ["source-change", "value source change", "value source changes"],
  ["restore", "restored after an outside change", "restored after an outside change"],
  ["recreate", "recreated after an outside deletion", "recreated after an outside deletion"],
  ["replace", "replaced", "replaced"],
  ["delete", "to delete", "to delete"],
  ["delete-undeclared", "to delete: not declared", "to delete: not declared"],
];

const OTHER_LABELS: ReadonlyArray<[OtherChange["action"], string]> = [
  ["create", "to create"],
  ["import", "to import"],
  ["update", "to update"],
  ["replace", "to replace"],
  ["delete", "to delete"],
  ["forget", "to forget"],
];

/**
 * A Markdown code span that holds `value` whatever it contains: a fence longer than any run of
 * backticks inside, and `|` escaped so that a table cell is not split (GitHub honours `\|` in code).
 */
export function code(value: string): string {
  const longestRun = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = value.startsWith("`") || value.endsWith("`") ? " " : "";
  return `${fence}${pad}${value.replace(/\|/g, "\\|")}${pad}${fence}`;
}

/** The first line: what happens to secrets, counted, or that nothing does. */
export function countsLine(changes: PlanChanges): string {
  const parts = COUNT_LABELS.flatMap(([action, one, many]) => {
    const n = changes.secrets.filter((s) => s.action === action).length;
    return n === 0 ? [] : [`${n} ${n === 1 ? one : many}`];
  });
  return parts.length === 0
    ? "No changes to environment secrets."
    : `Environment secrets: ${parts.join(" · ")}`;
}

/** One line for every resource that is not a secret, so that nothing in the plan goes unmentioned. */
export function othersLine(others: readonly OtherChange[]): string | undefined {
  if (others.length === 0) return undefined;
  const parts = OTHER_LABELS.flatMap(([action, label]) => {
    const matching = others.filter((o) => o.action === action);
    if (matching.length === 0) return [];
    const types = [...new Set(matching.map((o) => o.type))].sort().map(code);
    return [`${matching.length} ${label} (${types.join(", ")})`];
  });
  return `Other resources in the plan: ${parts.join(" · ")}.`;
}

/** The action in words; the ones a reviewer must not miss are bold and marked. */
export function actionWords(change: SecretChange): string {
  switch (change.action) {
    case "create":
      return "create";
    case "import":
      return "import (then write the declared value)";
    case "value-change":
      return "value changed";
    case "source-change":
      return "value source changed (same value)";
    case "restore":
      return "**restore**: changed outside Terraform";
    case "recreate":
      return "**recreate**: deleted outside Terraform";
    case "replace": {
      const because = (change.replacedBecause ?? [])
        .map((r) => (r.was ? `${r.attribute} was ${code(r.was)}` : r.attribute))
        .join(", ");
      return `⚠️ **replace** (${because || "forced by the provider"}): the old secret is deleted`;
    }
    case "delete":
      return "⛔ **delete**";
    case "delete-undeclared":
      return "⛔ **delete: not declared** (the environment is owned exclusively)";
  }
}

/** Rows grouped under a heading per repository and environment (rows arrive sorted). */
function groupedTables(secrets: readonly SecretChange[], withStack: boolean): string[] {
  const lines: string[] = [];
  let group = "";
  for (const s of secrets) {
    const key = `${s.repository}\u0000${s.environment}`;
    if (key !== group) {
      group = key;
      lines.push(
        "",
        `**${code(s.repository)}** · environment ${code(s.environment)}`,
        "",
        withStack ? "| secret | change | value from | stack |" : "| secret | change | value from |",
        withStack ? "|---|---|---|---|" : "|---|---|---|",
      );
    }
    const cells = [code(s.secretName), actionWords(s), s.valueSource ? code(s.valueSource) : "—"];
    if (withStack) cells.push(code(s.stack));
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines;
}

/**
 * The report as GitHub-flavoured Markdown: counts on the first line, then the secrets grouped by
 * repository and environment, then one line for the other resources. Names only, never a value.
 */
export function renderMarkdown(changes: PlanChanges, stacks: readonly string[]): string {
  const lines = [countsLine(changes)];
  const deletions = changes.secrets.filter(
    (s) => s.action === "delete" || s.action === "delete-undeclared" || s.action === "replace",
  ).length;
  if (deletions > 0) {
    lines.push(
      "",
      `> [!WARNING]\n> ${deletions} secret${deletions === 1 ? "" : "s"} will be deleted from GitHub (marked ⛔ or ⚠️ below).`,
    );
  }
  if (changes.erroredStacks.length > 0) {
    lines.push(
      "",
      `> [!CAUTION]\n> The plan of ${changes.erroredStacks.map(code).join(", ")} failed: this report is incomplete.`,
    );
  }
  lines.push(...groupedTables(changes.secrets, stacks.length > 1));
  const others = othersLine(changes.others);
  if (others) lines.push("", others);
  return `${lines.join("\n")}\n`;
}
