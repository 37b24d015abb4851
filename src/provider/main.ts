/**
 * Entry point of the single-file provider bundle (scripts/bundle-provider.mjs). Keep the
 * static imports light: every Terraform command starts this process several times, so heavy
 * modules (Octokit, libsodium) are loaded by the resources with dynamic import() when needed.
 */
// First: on a Node.js too old for the rest, this says so where Terraform shows it, and exits.
import "./node-version";
import { setFlagsFromString } from "node:v8";
import { serveProvider } from "./server";
import { ghsecretsProvider } from "./ghsecrets-provider";
import { MAGIC_COOKIE_KEY } from "./protocol/handshake";
import { reportStartupFailure } from "./startup-failure";

/**
 * V8 settings for a small peak RSS, measured on a 100-secret plan (`npm run bench`, node 20):
 * - undici's HTTP parser is WebAssembly, which V8 otherwise recompiles with TurboFan in the
 *   background at the first request: -23 MiB, no measurable slowdown;
 * - a young generation that does not grow past its first size (1 MiB semi-spaces instead of up
 *   to 8 MiB): -4 MiB there, and -28 MiB (110 -> 82 MiB, no measurable CPU cost) on a 500-secret
 *   plan measured with the corrected recorder (docs/PERFORMANCE.md); a plan allocates little that
 *   lives long.
 * Set after the handshake, not as node flags: any V8 flag on the command line makes node compile
 * its own start-up code again (measured +15 ms to the handshake line).
 */
const LOW_MEMORY_V8_FLAGS = ["--liftoff-only", "--semi-space-growth-factor=1"];

serveProvider(ghsecretsProvider)
  .then(() => {
    for (const flag of LOW_MEMORY_V8_FLAGS) setFlagsFromString(flag);
  })
  .catch((error: unknown) => {
    // serveProvider rejects only before its handshake line, so stdout is still free for this.
    reportStartupFailure(
      `terraform-provider-ghsecrets failed to start: ${error instanceof Error ? error.message : String(error)}`,
      process.env[MAGIC_COOKIE_KEY] !== undefined,
    );
  });
