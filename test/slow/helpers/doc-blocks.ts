/**
 * The fenced code blocks of the project's Markdown, with the test marker written just before each
 * shell block (the convention is described in test/slow/README.md):
 *
 *   <!-- test: run -->                       executed by test/slow/docs-commands.test.ts
 *   <!-- test: run by .ci/run -->            each command is a step of .ci/run (checked), run there
 *   <!-- test: illustrative (the reason) --> not executed; the reason says why
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** Fence languages that mean "type this in a shell". */
export const SHELL_LANGUAGES = new Set(["sh", "bash", "shell", "console", "zsh", "shell-session"]);

export type Marker = { kind: "run" } | { kind: "ci" } | { kind: "illustrative"; reason: string };

export interface CodeBlock {
  /** Path relative to the repository root, with `/`. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The fence's info string's first word ("" when it has none). */
  readonly language: string;
  /** The block's content, without the fences and without the fence's indentation. */
  readonly text: string;
  /** The marker on the nearest non-blank line before the fence, if it is one. */
  readonly marker?: Marker;
  /** What the nearest non-blank line before the fence holds when it looks like a marker but is not one. */
  readonly badMarker?: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;
const MARKER = /^<!--\s*test:\s*(.*?)\s*-->$/;

function parseMarker(line: string): { marker?: Marker; bad?: string } {
  const match = MARKER.exec(line.trim());
  if (!match) return line.trim().startsWith("<!-- test") ? { bad: line.trim() } : {};
  const body = match[1]!;
  if (body === "run") return { marker: { kind: "run" } };
  if (body === "run by .ci/run") return { marker: { kind: "ci" } };
  const illustrative = /^illustrative \((.+)\)$/.exec(body);
  if (illustrative) return { marker: { kind: "illustrative", reason: illustrative[1]!.trim() } };
  return { bad: line.trim() };
}

/** Every fenced block of one Markdown file. */
export function codeBlocks(root: string, file: string): CodeBlock[] {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, language] = open;
    let end = i + 1;
    while (end < lines.length && !lines[end]!.trim().startsWith(fence!)) end++;
    if (end >= lines.length) throw new Error(`${file}:${i + 1}: the code block is never closed`);
    const text = lines
      .slice(i + 1, end)
      .map((l) => (l.startsWith(indent!) ? l.slice(indent!.length) : l.trimStart()))
      .join("\n");
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === "") before--;
    const { marker, bad } = before >= 0 ? parseMarker(lines[before]!) : {};
    blocks.push({ file, line: i + 1, language: language!.toLowerCase(), text, marker, badMarker: bad });
    i = end;
  }
  return blocks;
}

/** The Markdown a user reads: the root's *.md, docs/**, and every README under examples/. */
export function documentationFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, keep: (name: string) => boolean): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      // An example's own install (its README says `npm ci`) holds other projects' READMEs.
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(full, keep);
      } else if (keep(entry.name)) found.push(relative(root, full).split("\\").join("/"));
    }
  };
  for (const entry of readdirSync(root)) if (entry.endsWith(".md")) found.push(entry);
  walk(join(root, "docs"), (name) => name.endsWith(".md"));
  walk(join(root, "examples"), (name) => name === "README.md");
  return found.sort();
}

/** The shell blocks of all documentation files. */
export function shellBlocks(root: string): CodeBlock[] {
  return documentationFiles(root)
    .flatMap((file) => codeBlocks(root, file))
    .filter((block) => SHELL_LANGUAGES.has(block.language));
}

/** A block's name in messages and test titles: file, line and its first command. */
export function blockName(block: CodeBlock): string {
  return `${block.file}:${block.line} \`${firstCommand(block)}\``;
}

/** The lines of a block that are not blank or comments, each without its trailing comment. */
export function commands(block: CodeBlock): string[] {
  return block.text
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.trim().startsWith("#"))
    .map((l) => l.replace(/\s+#.*$/, "").trim());
}

/** The first command of a block. */
export function firstCommand(block: CodeBlock): string {
  return commands(block)[0] ?? "";
}
