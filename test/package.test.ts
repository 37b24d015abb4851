// The package as `npm pack` would publish it (dist/ built by `npm test`): everything the entry points
// load is shipped, every module they load from outside the package is a declared runtime dependency
// or peer, every runtime dependency is used, and the published types need no `@types/node`.
import { execFileSync } from "node:child_process";
import { builtinModules } from "node:module";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, posix } from "node:path";

const ROOT = join(__dirname, "..");

interface Manifest {
  main: string;
  types: string;
  exports: Record<string, string>;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  engines: { node: string };
}
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Manifest;

/** Paths `npm pack` would put in the tarball (no scripts run: dist/ is already built). */
function packedFiles(): Set<string> {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
    timeout: 60_000,
  });
  const [pack] = JSON.parse(out) as [{ files: { path: string }[] }];
  return new Set(pack.files.map((f) => f.path));
}

/** The package a bare specifier names (`@scope/name/sub` -> `@scope/name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/**
 * Follows `require("…")`, `import("…")` and `from "…"` from the entry files through the packed
 * files; returns the packed files reached and the bare specifiers met, with who met them.
 */
function trace(entries: string[], files: Set<string>, candidates: (p: string) => string[]) {
  const reached = new Set<string>();
  const missing: string[] = [];
  const external = new Map<string, string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (reached.has(file)) continue;
    reached.add(file);
    const source = readFileSync(join(ROOT, file), "utf8");
    for (const match of source.matchAll(/(?:\brequire\(|\bimport\(|\bfrom\s+)["']([^"']+)["']/g)) {
      const specifier = match[1]!;
      if (!specifier.startsWith(".")) {
        external.set(specifier, file);
        continue;
      }
      const base = posix.join(posix.dirname(file), specifier);
      const found = candidates(base).find((c) => files.has(c));
      if (found) queue.push(found);
      else missing.push(`${file} -> ${specifier}`);
    }
  }
  return { reached, missing, external };
}

const files = packedFiles();
const normalize = (p: string) => posix.normalize(p.replace(/^\.\//, ""));
const jsEntries = [manifest.main, ...Object.values(manifest.exports), ...Object.values(manifest.bin)]
  .map(normalize)
  .filter((p) => p.endsWith(".js"));
const js = trace(jsEntries, files, (b) => [b, `${b}.js`, `${b}/index.js`]);
const dtsEntries = jsEntries.map((p) => p.replace(/\.js$/, ".d.ts")).filter((p) => files.has(p));
const dts = trace(dtsEntries, files, (b) => [`${b}.d.ts`, `${b}/index.d.ts`, b]);
const builtins = new Set(builtinModules);
const isBuiltin = (s: string) => s.startsWith("node:") || builtins.has(s);

test("the entry points and what they load are all in the tarball", () => {
  for (const entry of [...jsEntries, normalize(manifest.types)]) expect(files).toContain(entry);
  expect(js.missing).toEqual([]);
  expect(dts.missing).toEqual([]);
  expect(files).toContain("dist/provider-bundle/terraform-provider-ghsecrets.cjs");
});

test("runtime dependencies are exactly what the shipped code loads outside the provider bundle", () => {
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  const used = [...js.external.keys()].filter((s) => !isBuiltin(s)).map(packageOf);
  const undeclared = [...js.external].filter(([s]) => !isBuiltin(s) && !declared.has(packageOf(s)));
  expect(undeclared).toEqual([]);
  // A dependency nothing loads only costs installs (the bundle already holds Octokit, gRPC, ...).
  const unused = Object.keys(manifest.dependencies ?? {}).filter((d) => !used.includes(d));
  expect(unused).toEqual([]);
});

test("the published types need no @types/node", () => {
  const nodeTypes = [...dts.external].filter(([s]) => isBuiltin(s));
  expect(nodeTypes).toEqual([]);
  for (const file of dts.reached) {
    const text = readFileSync(join(ROOT, file), "utf8");
    expect({ file, globals: text.match(/\b(Buffer|NodeJS\.\w+)\b/g) ?? [] }).toEqual({ file, globals: [] });
  }
});

test("the license, the docs the README links, and no pointer outside the repository", () => {
  expect(files).toContain("LICENSE");
  expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(/Apache License\s+Version 2\.0, January 2004/);
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  for (const [, link] of readme.matchAll(/\]\((docs\/[^)#]+)/g)) expect(files).toContain(link);
  expect(files).toContain("docs/ARCHITECTURE.md");
  // The project's own design notes are docs/ARCHITECTURE.md: nothing shipped or tracked points elsewhere.
  const tracked = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n");
  for (const file of new Set([...files, ...tracked])) {
    if (!/\.(md|[cm]?[jt]s|json|ya?ml)$/.test(file) || !existsSync(join(ROOT, file))) continue;
    const text = readFileSync(join(ROOT, file), "utf8");
    expect({ file, shared: /\.\.\/shared\b|\bshared\/DESIGN\.md/.test(text) }).toEqual({
      file,
      shared: false,
    });
  }
});

test("the published types compile in a project with no @types/node and no DOM lib", () => {
  // The consumer's view: a tsconfig whose lib is plain ECMAScript and that loads no @types package,
  // so a global such as `URL` or `Buffer` in a shipped declaration is an error, as it is for them.
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, ".tmp", "types-"));
  try {
    writeFileSync(
      join(dir, "consumer.ts"),
      [
        `import * as lib from ${JSON.stringify(join(ROOT, "dist", "index"))};`,
        `import * as testing from ${JSON.stringify(join(ROOT, "dist", "testing"))};`,
        "export { lib, testing };",
      ].join("\n"),
    );
    const config = { target: "ES2018", module: "CommonJS", lib: ["es2018"], types: [], strict: true };
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: config, files: ["consumer.ts"] }),
    );
    let output = "";
    try {
      execFileSync(join(ROOT, "node_modules", ".bin", "tsc"), ["-p", dir, "--noEmit"], {
        encoding: "utf8",
        timeout: 120_000,
      });
    } catch (error) {
      output = (error as { stdout?: string }).stdout ?? String(error);
    }
    expect(output).toBe("");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("no shipped module names cdktf or cdktn in a require: an app on either one runs", () => {
  // The library is the app's, chosen at run time by dist/constructs/cdk.js (a computed require); a
  // module requiring "cdktf" by name fails in an app that has only cdktn.
  const loaders = [...js.reached].filter((file) =>
    /\brequire\(["']cdkt[fn](\/[^"']*)?["']\)/.test(readFileSync(join(ROOT, file), "utf8")),
  );
  expect(loaders).toEqual([]);
});
