/**
 * Entry point of the single-file provider bundle (scripts/bundle-provider.mjs). Keep the
 * static imports light: every Terraform command starts this process several times, so heavy
 * modules (Octokit, libsodium) are loaded by the resources with dynamic import() when needed.
 */
import { serveProvider } from "./server";
import { ghsecretsProvider } from "./ghsecrets-provider";

serveProvider(ghsecretsProvider).catch((error: unknown) => {
  process.stderr.write(`terraform-provider-ghsecrets failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
