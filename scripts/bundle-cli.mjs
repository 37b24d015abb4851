// Bundles the command line (`cdktf-github-secrets mirror | import | plan-report`) into one file,
// dist/cli.js, over the one tsc wrote. Why: the import command calls GitHub through Octokit, and with
// the CLI bundled like the provider, the package ships Octokit inside its two bundles instead of as
// runtime dependencies (in a consumer's install they were 39 packages and 33 MB, one of them declaring
// Node >= 22). Same esbuild settings as the provider (scripts/bundle-provider.mjs).
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleProvider } from "./bundle-provider.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { outfile } = await bundleProvider({ entry: "src/cli.ts", out: resolve(root, "dist/cli.js") });
process.stdout.write(`bundled ${outfile}\n`);
