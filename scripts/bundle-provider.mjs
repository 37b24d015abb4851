// Bundles the Terraform provider into one CommonJS file that `node` runs directly
// (dist/provider-bundle/terraform-provider-ghsecrets.cjs). One file, no node_modules look-ups:
// Terraform starts the provider 3-5 times per command, so start-up time matters.
//
//   node scripts/bundle-provider.mjs                                   # the real provider
//   node scripts/bundle-provider.mjs --entry test/fixtures/echo-provider.ts --out /tmp/x.cjs
//   node scripts/bundle-provider.mjs --analyze                         # what takes the space
//
// Heavy modules (Octokit, libsodium) are reached through dynamic import() in resource code.
// esbuild cannot split a CommonJS bundle, so they stay in the file, but as source text in string
// literals, compiled on first import() only (see lazySourceChunks below).
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
  const chunkMetafiles = [];
  const chunks = [];
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
    plugins: [
      precomputedSchema,
      noGrpcAdminServices,
      lazySourceChunks({
        minify: options.minify ?? true,
        metafiles: options.analyze ? chunkMetafiles : undefined,
        chunks,
      }),
    ],
  });
  // chunks: [name, code] of each lazy chunk, whose code runs under the file name `${name}.cjs`.
  return { outfile, metafile: result.metafile, chunkMetafiles, chunks };
}

/**
 * grpc-js reaches @grpc/proto-loader (and through it protobufjs's .proto parser), and its
 * make-client module (and through that its whole client side: channels, subchannels, load
 * balancing, retries, proxies), only from channelz.js and orca.js, only to build its channelz and
 * ORCA admin services, which this provider never adds. Stubs that say so keep ~160 KB of code the
 * provider never runs out of the bundle it parses at every start (test/provider-bundle.test.ts
 * notices when a grpc-js release routes around them).
 */
const noGrpcAdminServices = {
  name: "no-grpc-admin-services",
  setup(bundler) {
    const stub = (name) => ({ path: name, namespace: "grpc-admin-stub" });
    bundler.onResolve({ filter: /^@grpc\/proto-loader$/ }, (args) => stub(args.path));
    bundler.onResolve({ filter: /^\.\/make-client$/ }, (args) =>
      /[\\/]@grpc[\\/]grpc-js[\\/]build[\\/]src[\\/](channelz|orca)\.js$/.test(args.importer)
        ? stub(args.path)
        : undefined,
    );
    const notBundled = 'throw new Error("grpc-js admin services (channelz, ORCA) are not bundled")';
    bundler.onLoad({ filter: /.*/, namespace: "grpc-admin-stub" }, (args) => ({
      contents:
        args.path === "@grpc/proto-loader"
          ? `exports.loadSync = () => { ${notBundled}; };`
          : `exports.loadPackageDefinition = () => { ${notBundled}; };`,
      loader: "js",
    }));
  },
};

/**
 * Modules the provider reaches only through `import()`, by chunk: Octokit when it calls GitHub
 * (plan and apply walks), libsodium when it seals a value (apply walks). Schema and validation
 * processes use neither.
 */
const LAZY_CHUNKS = {
  "ghsecrets-github": [
    "@octokit/rest",
    "@octokit/plugin-throttling",
    "@octokit/plugin-retry",
    "bottleneck/light.js",
    "@octokit/auth-app",
  ],
  "ghsecrets-sodium": ["libsodium-wrappers"],
};

/**
 * Bundles each chunk of LAZY_CHUNKS on its own and puts its code into the provider bundle as a
 * string literal, compiled with `vm` on the first `import()` of one of its modules.
 *
 * Why: as code, V8 pre-parses every function of the bundle at every start, used or not; as a
 * string it only scans past it. Measured (callgrind, a start to the handshake and exit): 812 M
 * instructions with the chunks (~0.58 MB) as code, 784 M as strings (docs/PERFORMANCE.md). A
 * second file next to the bundle would save ~10 M more, but the provider mirror, the lock file's
 * hashes and every copy of the bundle would then have to carry it.
 */
function lazySourceChunks({ minify, metafiles, chunks }) {
  const chunkOf = new Map(
    Object.entries(LAZY_CHUNKS).flatMap(([chunk, modules]) => modules.map((m) => [m, chunk])),
  );
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return {
    name: "lazy-source-chunks",
    setup(bundler) {
      bundler.onResolve(
        { filter: new RegExp(`^(${[...chunkOf.keys()].map(escape).join("|")})$`) },
        (args) => ({
          path: args.path,
          namespace: "lazy-module",
        }),
      );
      bundler.onResolve({ filter: /.*/, namespace: "lazy-module" }, (args) => ({
        path: args.path,
        namespace: "lazy-chunk",
      }));
      // import("<module>"): the chunk's export for that module.
      bundler.onLoad({ filter: /.*/, namespace: "lazy-module" }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(chunkOf.get(args.path))}).modules[${JSON.stringify(args.path)}];`,
        loader: "js",
      }));
      // The chunk: compiled from its source text once, on first use, as Node compiles a CommonJS file.
      bundler.onLoad({ filter: /.*/, namespace: "lazy-chunk" }, async (args) => {
        const modules = LAZY_CHUNKS[args.path];
        const chunk = await build({
          stdin: {
            // import, not require: packages resolve to their ES builds (libsodium's is a third of
            // the size of its CommonJS one). Each namespace is marked __esModule so that the
            // provider's import() sees what it saw when the module was bundled in place.
            contents: [
              ...modules.map((m, i) => `import * as m${i} from ${JSON.stringify(m)};`),
              'const esm = (namespace) => Object.defineProperty({ ...namespace }, "__esModule", { value: true });',
              `export const modules = {${modules.map((m, i) => `${JSON.stringify(m)}: esm(m${i})`).join(", ")}};`,
            ].join("\n"),
            resolveDir: root,
            sourcefile: `${args.path}.mjs`,
            loader: "js",
          },
          write: false,
          bundle: true,
          platform: "node",
          target: "node20",
          format: "cjs",
          minify,
          mainFields: ["module", "main"],
          metafile: !!metafiles,
          absWorkingDir: root,
          logLevel: "warning",
        });
        if (metafiles) metafiles.push([args.path, chunk.metafile]);
        chunks.push([args.path, chunk.outputFiles[0].text]);
        const wrapped = `(function (exports, require, module) {${chunk.outputFiles[0].text}\n})`;
        return {
          contents: [
            `const source = ${JSON.stringify(wrapped)};`,
            `require("node:vm").runInThisContext(source, { filename: ${JSON.stringify(`${args.path}.cjs`)} })(module.exports, require, module);`,
          ].join("\n"),
          loader: "js",
        };
      });
    },
  };
}

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
  const { outfile, metafile, chunkMetafiles } = await bundleProvider(options);
  if (metafile) {
    const { analyzeMetafile } = await import("esbuild");
    process.stdout.write(await analyzeMetafile(metafile, { verbose: false }));
    for (const [chunk, chunkMetafile] of chunkMetafiles) {
      process.stdout.write(`\nas source text in the bundle, compiled on first use: ${chunk}\n`);
      process.stdout.write(await analyzeMetafile(chunkMetafile, { verbose: false }));
    }
  }
  process.stdout.write(`bundled ${outfile}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
