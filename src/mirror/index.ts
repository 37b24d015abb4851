import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export { packageHashV1, writeLockFile, type LockEntry } from "./lock-file";

/**
 * Places the bundled provider where `terraform init` finds it with no network and no CLI
 * configuration: the implicit local mirror `terraform.d/plugins/<host>/<namespace>/<type>/<version>/<os>_<arch>/`
 * inside the working directory.
 *
 * Each platform directory holds a POSIX sh launcher (the executable Terraform runs) and the
 * bundled JavaScript itself, so the lock file's h1: hash of the directory covers the code.
 */
export const PROVIDER_HOST = "cdktf-github-secrets.local";
export const PROVIDER_NAMESPACE = "ghsecrets";
export const PROVIDER_TYPE = "ghsecrets";
export const PROVIDER_SOURCE = `${PROVIDER_HOST}/${PROVIDER_NAMESPACE}/${PROVIDER_TYPE}`;
export const DEFAULT_PLATFORMS = ["linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64"];
/** The oldest Node.js major version the launcher accepts (the bundle checks it again itself). */
const MIN_NODE_MAJOR = 20;
/** Points the launcher at a particular node binary (default: `node` on PATH). */
export const NODE_OVERRIDE_ENV = "CDKTF_GITHUB_SECRETS_NODE";

const PACKAGE_NAME = "cdktf-github-secrets";
const BUNDLE_IN_PACKAGE = join("dist", "provider-bundle", "terraform-provider-ghsecrets.cjs");
/**
 * Name of the bundle inside a platform directory. It must NOT start with
 * "terraform-provider-ghsecrets": Terraform runs the first file with that prefix.
 */
const BUNDLE_FILE = "ghsecrets-provider.cjs";

export interface MirrorOptions {
  /** `<os>_<arch>` names; default linux/darwin on amd64/arm64. */
  platforms?: string[];
  /** The bundled provider; default the package's own `dist/provider-bundle/...`. */
  bundlePath?: string;
}

export interface MirrorResult {
  source: string;
  version: string;
  /** Platform directories written (absolute paths). */
  directories: string[];
}

interface PackageRoot {
  dir: string;
  version: string;
}

let cachedRoot: PackageRoot | undefined;

/** The folder holding this package's package.json, found by walking up from this file. */
function packageRoot(): PackageRoot {
  cachedRoot ??= findPackageRoot();
  return cachedRoot;
}

/**
 * The version of this package, which is also the version of the provider it bundles: the
 * constructs pin exactly this version, so the configuration always matches the mirror beside it.
 */
export function packageVersion(): string {
  return packageRoot().version;
}

function findPackageRoot(): PackageRoot {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
      if (parsed.name === PACKAGE_NAME && parsed.version) return { dir, version: parsed.version };
    }
    if (dirname(dir) === dir)
      throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${__dirname}`);
  }
}

function launcherScript(): string {
  // exec: the node process replaces the shell, so Terraform's signals and exit status reach it directly.
  return [
    "#!/bin/sh",
    "# Terraform provider ghsecrets (cdktf-github-secrets): runs the bundled provider next to this file with Node.js >= 20.",
    `# Set ${NODE_OVERRIDE_ENV} to choose the node binary.`,
    // The directory of this file without forking dirname (Terraform runs it by a path with a slash).
    'case "$0" in */*) dir=${0%/*} ;; *) dir=. ;; esac',
    `node_bin="\${${NODE_OVERRIDE_ENV}:-node}"`,
    // Terraform shows a plugin's stderr only under TF_LOG, but prints a stdout line that is not
    // the handshake as "Unrecognized remote plugin message: ...": the reason goes to both.
    // Then wait before exiting, until Terraform kills it (at most 5 s): go-plugin stops reading a
    // plugin's stdout once it sees the process exit, so a line written just before exit is
    // sometimes lost on a busy machine ("Failed to read any lines from plugin's stdout"). The
    // bundle waits the same way (src/provider/startup-failure.ts). `sleep` also by path: a PATH
    // without node may hold no coreutils either.
    // Started by hand (no go-plugin cookie), there is nobody to wait for.
    "fail() {",
    '  echo "$1"; echo "$1" >&2',
    '  if [ -n "${TF_PLUGIN_MAGIC_COOKIE:-}" ]; then sleep 5 2>/dev/null || /bin/sleep 5 2>/dev/null; fi',
    "  exit 1",
    "}",
    'if ! command -v "$node_bin" >/dev/null 2>&1; then',
    `  fail "terraform-provider-ghsecrets needs Node.js >= ${MIN_NODE_MAJOR}, but '$node_bin' was not found. Install Node.js ${MIN_NODE_MAJOR} or later, or set ${NODE_OVERRIDE_ENV} to the node binary."`,
    "fi",
    // A Node.js too old may not even parse the bundle, so its own check would never run: ask
    // first (\`node --version\` exits before starting V8: a few ms). The bundle checks again.
    'node_version=$("$node_bin" --version 2>/dev/null)',
    "node_major=${node_version#v}; node_major=${node_major%%.*}",
    'case "$node_major" in "" | *[!0-9]*) node_major=0 ;; esac',
    `if [ "$node_major" -lt ${MIN_NODE_MAJOR} ]; then`,
    `  fail "terraform-provider-ghsecrets needs Node.js >= ${MIN_NODE_MAJOR}, but '$node_bin' is \${node_version:-not a working Node.js}. Install Node.js ${MIN_NODE_MAJOR} or later, or set ${NODE_OVERRIDE_ENV} to the node binary."`,
    "fi",
    // glibc gives each thread that calls malloc an arena it rarely returns, and after the first
    // free of an 8 MiB scrypt buffer stops using mmap for blocks that size, so they stay in the
    // heap: two arenas and a fixed 1 MiB mmap threshold give that memory back (-16 MiB of peak
    // RSS on a 100-secret plan, `npm run bench`; V8's share is set in src/provider/main.ts).
    ': "${MALLOC_ARENA_MAX:=2}"',
    ': "${MALLOC_MMAP_THRESHOLD_:=1048576}"',
    "export MALLOC_ARENA_MAX MALLOC_MMAP_THRESHOLD_",
    `exec "$node_bin" "$dir/${BUNDLE_FILE}" "$@"`,
    "",
  ].join("\n");
}

/** Writes only when the content differs, so a re-synth leaves files (and their mtimes) alone. */
function writeIfChanged(path: string, content: Buffer, mode: number): void {
  let same: boolean;
  try {
    const stat = statSync(path);
    same = stat.size === content.length && readFileSync(path).equals(content);
  } catch {
    same = false;
  }
  if (!same) writeFileSync(path, content, { mode });
  if ((statSync(path).mode & 0o777) !== mode) chmodSync(path, mode);
}

export function writeProviderMirror(workingDir: string, options: MirrorOptions = {}): MirrorResult {
  const platforms = options.platforms ?? DEFAULT_PLATFORMS;
  for (const platform of platforms) {
    if (!/^[a-z0-9]+_[a-z0-9]+$/.test(platform))
      throw new Error(`invalid platform "${platform}": expected <os>_<arch>, e.g. linux_amd64`);
  }
  const root = packageRoot();
  const bundlePath = resolve(options.bundlePath ?? join(root.dir, BUNDLE_IN_PACKAGE));
  if (!existsSync(bundlePath)) {
    throw new Error(
      `The bundled Terraform provider is missing (${bundlePath}). ` +
        (options.bundlePath ? "Check the bundlePath option." : `Run \`npm run build\` in ${root.dir} first.`),
    );
  }
  const bundle = readFileSync(bundlePath);
  const launcher = Buffer.from(launcherScript());
  const { version } = root;
  const directories: string[] = [];
  for (const platform of platforms) {
    const dir = resolve(
      workingDir,
      "terraform.d",
      "plugins",
      PROVIDER_HOST,
      PROVIDER_NAMESPACE,
      PROVIDER_TYPE,
      version,
      platform,
    );
    mkdirSync(dir, { recursive: true });
    writeIfChanged(join(dir, BUNDLE_FILE), bundle, 0o644);
    writeIfChanged(join(dir, `terraform-provider-${PROVIDER_TYPE}_v${version}`), launcher, 0o755);
    directories.push(dir);
  }
  return { source: PROVIDER_SOURCE, version, directories };
}

/** The `required_providers` entry for HCL configurations that use the mirror. */
export function requiredProvidersSnippet(version: string): string {
  return [
    "terraform {",
    "  required_providers {",
    `    ${PROVIDER_TYPE} = {`,
    `      source  = "${PROVIDER_SOURCE}"`,
    `      version = "${version}"`,
    "    }",
    "  }",
    "}",
    "",
  ].join("\n");
}
