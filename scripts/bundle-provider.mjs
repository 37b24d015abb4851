// Bundles the Terraform provider into one CommonJS file that `node` runs directly
// (dist/provider-bundle/terraform-provider-ghsecrets.cjs). One file, no node_modules look-ups:
// Terraform starts the provider 3-5 times per command, so start-up time matters.
//
//   node scripts/bundle-provider.mjs                                   # the real provider
//   node scripts/bundle-provider.mjs --entry test/fixtures/echo-provider.ts --out /tmp/x.cjs
//   node scripts/bundle-provider.mjs --analyze                         # what takes the space
//
// Heavy modules (Octokit, libsodium) are reached through dynamic import() in resource code.
// esbuild cannot split a CommonJS bundle, so they stay in the file, but wrapped in lazily
// run module closures: parsed cheaply at start, evaluated on first import() only.
import { build } from "esbuild";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const DEFAULT_ENTRY = "src/provider/main.ts";
export const DEFAULT_OUT = "dist/provider-bundle/terraform-provider-ghsecrets.cjs";

/** Runs a TypeScript module's `exportName()` here, at build time, and returns its result. */
async function evaluateAtBuildTime(path, exportName) {
  const dir = mkdtempSync(join(tmpdir(), "ghsecrets-bundle-"));
  try {
    const outfile = join(dir, "module.cjs");
    await build({
      entryPoints: [path],
      outfile,
      bundle: true,
      platform: "node",
      format: "cjs",
      absWorkingDir: root,
      logLevel: "warning",
      logOverride: { "direct-eval": "silent" },
    });
    return createRequire(import.meta.url)(outfile)[exportName]();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The protocol schemas (src/provider/protocol/schema-descriptor.ts) go into the bundle as the JSON
 * descriptor that module computes, not as proto text parsed at every start: the provider skips the
 * parse, and the bundle leaves protobufjs's parser out.
 */
const precomputedSchema = {
  name: "precomputed-schema-descriptor",
  setup(bundler) {
    bundler.onLoad(
      { filter: /[\\/]src[\\/]provider[\\/]protocol[\\/]schema-descriptor\.ts$/ },
      async (args) => {
        const descriptor = await evaluateAtBuildTime(args.path, "schemaDescriptor");
        // JSON.parse of a string literal: V8 reads that faster than the same object as JavaScript.
        const json = JSON.stringify(JSON.stringify(descriptor));
        return {
          contents: `export function schemaDescriptor() { return JSON.parse(${json}); }`,
          loader: "js",
        };
      },
    );
  },
};

/** @param {{ entry?: string, out?: string, minify?: boolean, analyze?: boolean }} [options] */
export async function bundleProvider(options = {}) {
  const entry = resolve(root, options.entry ?? DEFAULT_ENTRY);
  const outfile = resolve(options.out ?? resolve(root, DEFAULT_OUT));
  mkdirSync(dirname(outfile), { recursive: true });
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: options.minify ?? true,
    // Packages with an ESM build (Octokit is ESM-only) resolve to it, so tree shaking works.
    mainFields: ["module", "main"],
    sourcemap: false,
    metafile: !!options.analyze,
    absWorkingDir: root,
    logLevel: "warning",
    // protobufjs probes optional modules through eval("require"); harmless here.
    logOverride: { "direct-eval": "silent" },
    plugins: [precomputedSchema, noProtoLoader],
  });
  return { outfile, metafile: result.metafile };
}

/**
 * grpc-js reaches @grpc/proto-loader (and through it protobufjs's .proto parser) only to serve
 * its channelz and ORCA admin services, which this provider never adds: a stub that says so
 * keeps ~70 KB of code the provider never runs out of the bundle it parses at every start.
 */
const noProtoLoader = {
  name: "no-grpc-proto-loader",
  setup(bundler) {
    bundler.onResolve({ filter: /^@grpc\/proto-loader$/ }, () => ({
      path: "@grpc/proto-loader",
      namespace: "stub",
    }));
    bundler.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
      contents:
        'exports.loadSync = () => { throw new Error("grpc-js admin services (channelz, ORCA) are not bundled"); };',
      loader: "js",
    }));
  },
};

async function main(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--entry") options.entry = argv[++i];
    else if (arg === "--out") options.out = argv[++i];
    else if (arg === "--no-minify") options.minify = false;
    else if (arg === "--analyze") options.analyze = true;
    else
      throw new Error(`unknown argument: ${arg} (use --entry <file>, --out <file>, --no-minify, --analyze)`);
  }
  const { outfile, metafile } = await bundleProvider(options);
  if (metafile) {
    const { analyzeMetafile } = await import("esbuild");
    process.stdout.write(await analyzeMetafile(metafile, { verbose: false }));
  }
  process.stdout.write(`bundled ${outfile}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
