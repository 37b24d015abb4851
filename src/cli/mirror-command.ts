/**
 * `cdktf-github-secrets mirror <dir> [--platform <os>_<arch>]...`: for plain HCL users (cdktf stacks
 * get the mirror at synth time), copies the bundled Terraform provider into
 * <dir>/terraform.d/plugins so `terraform init` finds it offline.
 */
import { relative } from "node:path";
import { requiredProvidersSnippet, writeProviderMirror } from "../mirror";
import { parseCommandArgs, type UsageOutput } from "./command-args";

export const MIRROR_USAGE = `usage: cdktf-github-secrets mirror <terraform working directory> [--platform <os>_<arch>]...

Writes the bundled provider into <dir>/terraform.d/plugins (Terraform's implicit local mirror), so
\`terraform init\` run in <dir> installs it offline, and prints the required_providers block to use.

  --platform <os>_<arch>  only this platform (repeatable); default linux and darwin on amd64 and arm64`;

/** Runs the command; returns the exit status (2 for a usage error). */
export function runMirror(argv: readonly string[], io: UsageOutput): number {
  const parsed = parseCommandArgs(
    { args: [...argv], allowPositionals: true, options: { platform: { type: "string", multiple: true } } },
    MIRROR_USAGE,
    io,
  );
  if (typeof parsed === "number") return parsed;
  const [dir, ...extra] = parsed.positionals;
  if (dir === undefined || extra.length > 0) {
    const problem =
      dir === undefined
        ? "the terraform working directory is missing"
        : `one directory only, got also ${extra.map((e) => `"${e}"`).join(", ")}`;
    io.stderr(`${problem}\n${MIRROR_USAGE}\n`);
    return 2;
  }
  const platforms = parsed.values.platform ?? [];
  const result = writeProviderMirror(dir, platforms.length > 0 ? { platforms } : {});
  io.stdout(`Wrote provider ${result.source} ${result.version} for:\n`);
  for (const written of result.directories) io.stdout(`  ${relative(process.cwd(), written) || "."}\n`);
  io.stdout(`\nDeclare it in your configuration:\n\n${requiredProvidersSnippet(result.version)}`);
  return 0;
}
