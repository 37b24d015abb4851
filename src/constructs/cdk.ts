/**
 * The CDK library of the app: CDK for Terraform (`cdktf`) or its maintained fork CDK Terrain (`cdktn`).
 *
 * Why a lookup at run time instead of `import … from "cdktf"`: the constructs here must extend the very
 * classes the app's stack is made of. An app on CDK Terrain imports from "cdktn"; had this library
 * required "cdktf", npm would install `cdktf@0.21` beside it and two copies of the framework would meet
 * at synth (and fail there, far from the cause). Both are optional peers, so npm installs neither on
 * its own, and this module loads whichever the app has. Types come from "cdktf" (this project builds
 * against `cdktf` aliased to `cdktn`); the API is the same.
 */
import { realpathSync } from "node:fs";
import type { IConstruct } from "constructs";
import type * as Cdk from "cdktf";
import type * as Synthesizer from "cdktf/lib/synthesize/synthesizer";

export type CdkLibraryName = "cdktf" | "cdktn";
const CANDIDATES: readonly CdkLibraryName[] = ["cdktf", "cdktn"];
/** Picks one library when an app has both installed. */
export const CDK_LIBRARY_ENV = "CDKTF_GITHUB_SECRETS_CDK";

/** What a candidate name resolves to: its package.json's real path, name and version. */
export interface InstalledLibrary {
  manifestPath: string;
  name: string;
  version: string;
}

/** Thrown at load time when no CDK library, or two different ones, are installed. */
export class CdkLibraryError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = "CdkLibraryError";
  }
}

/**
 * Chooses which name to `require`. Pure (the look-up is passed in) so every case is tested without
 * installing packages.
 */
export function chooseCdkLibrary(
  lookup: (name: CdkLibraryName) => InstalledLibrary | undefined,
  override: string | undefined,
): CdkLibraryName {
  if (override !== undefined && override !== "") {
    if (!CANDIDATES.includes(override as CdkLibraryName))
      throw new CdkLibraryError(
        `${CDK_LIBRARY_ENV}="${override}": set it to "cdktf" or "cdktn", or unset it.`,
      );
    if (lookup(override as CdkLibraryName) === undefined)
      throw new CdkLibraryError(
        `${CDK_LIBRARY_ENV}=${override}, but ${override} is not installed: run \`npm install ${override}\` or unset ${CDK_LIBRARY_ENV}.`,
      );
    return override as CdkLibraryName;
  }
  const found = CANDIDATES.map((name) => ({ name, lib: lookup(name) })).filter((c) => c.lib !== undefined);
  if (found.length === 0)
    throw new CdkLibraryError(
      "cdktf-github-secrets needs CDK for Terraform or CDK Terrain in your project: " +
        "run `npm install cdktn constructs` (CDK Terrain, maintained) or `npm install cdktf constructs`.",
    );
  if (found.length === 1 || found[0].lib!.manifestPath === found[1].lib!.manifestPath) return found[0].name;
  const [a, b] = found.map((c) => `${c.name} (${c.lib!.name}@${c.lib!.version})`);
  throw new CdkLibraryError(
    `cdktf-github-secrets found two CDK libraries in your project, ${a} and ${b}; an app must be built from one. ` +
      'If your app imports from "cdktn", run `npm uninstall cdktf`; if it imports from "cdktf", run ' +
      `\`npm uninstall cdktn\`. If both must stay, set ${CDK_LIBRARY_ENV}=cdktn or ${CDK_LIBRARY_ENV}=cdktf ` +
      "to the one your app imports.",
  );
}

// The library is chosen at run time (whichever of cdktf and cdktn the app installed), so it is
// loaded with require(): a static import would name one of them at build time.
/* eslint-disable @typescript-eslint/no-require-imports -- the CDK library is chosen at run time (above) */
function lookupInstalled(name: CdkLibraryName): InstalledLibrary | undefined {
  let manifestPath: string;
  try {
    manifestPath = require.resolve(`${name}/package.json`);
  } catch {
    return undefined;
  }
  const manifest = require(manifestPath) as { name: string; version: string };
  return { manifestPath: realpathSync(manifestPath), name: manifest.name, version: manifest.version };
}

const chosen = chooseCdkLibrary(lookupInstalled, process.env[CDK_LIBRARY_ENV]);
const lib = require(chosen) as typeof Cdk;
const synthesizer = require(`${chosen}/lib/synthesize/synthesizer`) as typeof Synthesizer;
/* eslint-enable @typescript-eslint/no-require-imports -- back to static imports */

// Values and types under the names the rest of the constructs layer uses.
export const {
  Annotations,
  ImportableResource,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Token,
} = lib;
export type Annotations = Cdk.Annotations;
export type ImportableResource = Cdk.ImportableResource;
export type TerraformProvider = Cdk.TerraformProvider;
export type TerraformResource = Cdk.TerraformResource;
export type TerraformStack = Cdk.TerraformStack;
export type TerraformVariable = Cdk.TerraformVariable;
export type Token = Cdk.Token;
export type { ISynthesisSession, TerraformMetaArguments } from "cdktf";
/** What `addCustomSynthesis` calls at synth (cdktf's `ICustomSynthesis`). */
export interface CustomSynthesis {
  onSynthesize(session: Cdk.ISynthesisSession): void;
}
// Not re-exported from the package root, but public API since cdktf 0.15 (TerraformAsset uses it).
// Typed here rather than inferred: the published declarations then name only "cdktf" itself, so the
// README's `"paths": { "cdktf": ["./node_modules/cdktn"] }` is all a plain cdktn app needs to type-check.
export const addCustomSynthesis: (construct: IConstruct, synthesis: CustomSynthesis) => void =
  synthesizer.addCustomSynthesis;
