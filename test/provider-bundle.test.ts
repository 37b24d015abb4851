/**
 * What the provider bundle carries, which is what every provider start parses and runs: the
 * protocol schema as a descriptor computed at build time (no .proto text parsed at start, no
 * .proto parser in the file), of @grpc/grpc-js only the server, and Octokit and libsodium as
 * source text compiled on first use.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "./helpers/terraform";

const run = promisify(execFile);
const tmpRoot = mkdtempSync(join(tmpdir(), "ghsecrets-bundle-"));
const bundlePath = join(tmpRoot, "provider.cjs");
let inputs: string;
let bundle: string;

beforeAll(async () => {
  const { stdout } = await run(
    process.execPath,
    [join(REPO_ROOT, "scripts/bundle-provider.mjs"), "--analyze", "--out", bundlePath],
    { cwd: REPO_ROOT, timeout: 60_000 },
  );
  inputs = stdout;
  bundle = readFileSync(bundlePath, "utf8");
}, 60_000);
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

test("the protocol schema is bundled as a descriptor computed at build time, not as proto text", () => {
  expect(inputs).toContain("src/provider/protocol/schema-descriptor.ts");
  // Booleans: a failing match would print the whole megabyte.
  expect(/syntax = \\*"proto3/.test(bundle)).toBe(false);
  // The descriptor is there: a tfplugin6 field in protobufjs's JSON form.
  expect(/"prior_private\\*":\{\\*"type\\*":\\*"bytes/.test(bundle)).toBe(true);
});

test("no .proto parser in the bundle: not protobufjs's, not grpc-js's proto-loader", () => {
  for (const module of ["protobufjs/src/parse.js", "protobufjs/src/tokenize.js", "@grpc/proto-loader/build"])
    expect(inputs).not.toContain(module);
  expect(inputs).toContain("protobufjs/src/index-light.js");
});

test("only the server half of grpc-js: not its index, which sets up the client side, nor the client side itself", () => {
  expect(inputs).toContain("@grpc/grpc-js/build/src/server.js");
  const clientSide = [
    "index.js",
    "load-balancer-pick-first.js",
    "make-client.js",
    "client.js",
    "internal-channel.js",
    "subchannel.js",
    "http_proxy.js",
  ];
  for (const module of clientSide) expect(inputs).not.toContain(`@grpc/grpc-js/build/src/${module}`);
});

test("Octokit and libsodium are in the bundle as source text, compiled on first use only", () => {
  // The main bundle's inputs list the chunks, not the packages (those follow under "as source text").
  const [main, ...chunkListings] = inputs.split("as source text in the bundle, compiled on first use: ");
  expect(main).toContain("lazy-chunk:ghsecrets-github");
  expect(main).toContain("lazy-chunk:ghsecrets-sodium");
  for (const module of ["node_modules/@octokit/", "node_modules/libsodium", "node_modules/bottleneck"])
    expect(main).not.toContain(module);
  const chunks = Object.fromEntries(chunkListings.map((text) => [text.split("\n")[0], text]));
  expect(chunks["ghsecrets-github"]).toContain("node_modules/@octokit/plugin-rest-endpoint-methods");
  expect(chunks["ghsecrets-sodium"]).toContain("node_modules/libsodium-wrappers/dist/modules-esm");
});
