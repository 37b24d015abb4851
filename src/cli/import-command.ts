/**
 * `cdktf-github-secrets import --repository owner/name --environment production [--environment ...]
 *  [--hcl] [--base-url URL]`: lists the secrets that already exist (names only: GitHub never returns
 * values) and prints the code that adopts them.
 */
import { baseUrlFromEnvironment, credentialsFromEnvironment, EnvironmentSecretsClient } from "../github";
import { checkEnvironmentName, checkRepository } from "../rules";
import { type FoundEnvironment, hclFor, typescriptFor } from "./adoption-code";
import { parseCommandArgs } from "./command-args";

export const IMPORT_USAGE =
  "usage: cdktf-github-secrets import --repository <owner/name> --environment <name> [--environment <name>]... " +
  "[--hcl] [--base-url <url>]\n" +
  "  Prints TypeScript (EnvironmentSecrets with importExisting()) or, with --hcl, Terraform import blocks\n" +
  "  for the secrets that exist. Credentials: GITHUB_TOKEN (or GH_TOKEN, or GITHUB_APP_* variables);\n" +
  "  API root: --base-url, else GITHUB_API_URL, else https://api.github.com.";

/** Runs the command; resolves to the exit code. Output goes to `out`, progress and errors to `err`. */
export async function runImport(
  argv: string[],
  out: (text: string) => void,
  err: (text: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const parsed = parseCommandArgs(
    {
      args: [...argv],
      options: {
        repository: { type: "string" },
        environment: { type: "string", multiple: true },
        hcl: { type: "boolean" },
        "base-url": { type: "string" },
      },
    },
    IMPORT_USAGE,
    { stdout: out, stderr: err },
  );
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const repository = values.repository;
  const environments = values.environment ?? [];
  const problems = [
    ...(repository === undefined
      ? ["--repository is missing: give it as owner/name"]
      : checkRepository(repository)),
    ...(environments.length === 0 ? ["--environment is missing: give one per environment to adopt"] : []),
    ...environments.flatMap(checkEnvironmentName),
  ];
  if (problems.length > 0 || repository === undefined) {
    err(`${problems.join("\n")}\n${IMPORT_USAGE}\n`);
    return 2;
  }

  const client = new EnvironmentSecretsClient({
    credentials: credentialsFromEnvironment(env),
    baseUrl: values["base-url"] ?? baseUrlFromEnvironment(env),
  });
  const found: FoundEnvironment[] = [];
  try {
    client.assertCredentials();
    for (const environment of environments) {
      err(`listing secrets of ${repository}, environment "${environment}"...\n`);
      const listing = await client.listSecrets({ repository, environment });
      if (listing === undefined) {
        err(
          `${repository} has no environment "${environment}" (or these credentials cannot see it): ` +
            `check its name in the repository settings\n`,
        );
        return 1;
      }
      const secretNames = [...listing.keys()].sort();
      err(`  ${secretNames.length} secret(s)\n`);
      found.push({ repository, environment, secretNames });
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    err(`${message}\n`);
    return 1;
  }
  out(values.hcl ? hclFor(found) : typescriptFor(found));
  return 0;
}
