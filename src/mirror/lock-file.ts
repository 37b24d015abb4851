import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

/**
 * Writes the stack's `.terraform.lock.hcl` entry for the bundled provider, so that `terraform init`,
 * `cdktf diff` and `cdktf deploy` work offline on a fresh stack.
 *
 * Why by hand: `terraform init` alone records the hash of this machine's platform only (and warns
 * "Incomplete lock file information"), and the cdktf CLI then runs `terraform providers lock
 * -platform=…` without a mirror, which asks a registry that has never heard of this provider. The
 * mirror's content is known at synth time, so the complete entry can be written then, byte for byte
 * what `terraform providers lock -fs-mirror=terraform.d/plugins -platform=…` would write.
 */

const HEADER =
  '# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n';

export interface LockEntry {
  /** Provider source address, e.g. `cdktf-github-secrets.local/ghsecrets/ghsecrets`. */
  source: string;
  version: string;
  /** The configuration's version constraint, as Terraform records it (`0.1.0` for an exact pin). */
  constraints: string;
  /** Package directories (one per platform) whose `h1:` hashes the entry lists. */
  packageDirs: string[];
}

/**
 * Terraform's `h1:` package hash of an unpacked provider directory, which is Go's
 * `golang.org/x/mod/sumdb/dirhash.Hash1`: SHA-256 over the sorted lines
 * "<sha256 hex of the file>  <slash-separated path relative to the directory>\n", base64-encoded.
 * No npm library computes it, and it is a few lines.
 */
export function packageHashV1(dir: string): string {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
  const summary = files
    .map(
      (file) =>
        `${createHash("sha256")
          .update(readFileSync(join(dir, file)))
          .digest("hex")}  ${file}\n`,
    )
    .join("");
  return `h1:${createHash("sha256").update(summary).digest("base64")}`;
}

/** The `provider "…" { … }` block, formatted as Terraform's hclwrite formats it. */
function providerBlock(entry: LockEntry): string {
  const hashes = [...new Set(entry.packageDirs.map(packageHashV1))].sort();
  return [
    `provider "${entry.source}" {`,
    `  version     = "${entry.version}"`,
    `  constraints = "${entry.constraints}"`,
    "  hashes = [",
    ...hashes.map((hash) => `    "${hash}",`),
    "  ]",
    "}",
    "",
  ].join("\n");
}

/**
 * The `provider` blocks of an existing lock file, by source address. Terraform writes each block
 * from a `provider "…" {` line at the start of a line to the next `}` line at the start of a line.
 */
function existingBlocks(text: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const match of text.matchAll(/^provider "([^"]+)" \{\n[\s\S]*?^\}\n?/gm)) {
    blocks.set(match[1], match[0].endsWith("\n") ? match[0] : `${match[0]}\n`);
  }
  return blocks;
}

/** Terraform orders providers by hostname, then namespace, then type. */
function compareAddresses(a: string, b: string): number {
  const pa = a.split("/");
  const pb = b.split("/");
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? "";
    const y = pb[i] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Writes (or updates) `<workingDir>/.terraform.lock.hcl`: this provider's entry is replaced, other
 * providers' entries are kept, blocks stay sorted by address as Terraform keeps them. The file is
 * left untouched when nothing changed.
 */
export function writeLockFile(workingDir: string, entry: LockEntry): string {
  const path = join(workingDir, ".terraform.lock.hcl");
  const before = existsSync(path) ? readFileSync(path, "utf8") : "";
  const blocks = existingBlocks(before);
  blocks.set(entry.source, providerBlock(entry));
  const body = [...blocks.keys()]
    .sort(compareAddresses)
    .map((source) => blocks.get(source)!)
    .join("\n");
  const after = `${HEADER}\n${body}`;
  if (after !== before) writeFileSync(path, after);
  return path;
}
