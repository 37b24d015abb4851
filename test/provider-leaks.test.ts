/**
 * Leak scan: a recognizable plaintext and token go through a full cycle with TF_LOG=trace, and
 * neither may appear in the configuration directory, the state, the saved plan, `terraform show`,
 * stdout, stderr or Terraform's log.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { GithubEmulator } from "../src/testing";
import { providerConfig, requireTerraform, TerraformDir } from "./helpers/terraform";
import { readZipEntries } from "./helpers/zip";

jest.setTimeout(180_000);

const REPO = "acme/api";
const FROM_ENV = "PLAINTEXT-canary-env-5b1e";
const FROM_VARIABLE = "PLAINTEXT-canary-var-93c4";
const TOKEN = "ghp_TOKENcanary7d2f0e9a1b3c5d7e9f";
const CANARIES = [
  FROM_ENV,
  FROM_VARIABLE,
  TOKEN,
  Buffer.from(FROM_ENV).toString("base64"),
  Buffer.from(FROM_VARIABLE).toString("base64"),
];

function filesUnder(dir: string, skip: (path: string) => boolean): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (skip(path)) continue;
    if (statSync(path).isDirectory()) found.push(...filesUnder(path, skip));
    else found.push(path);
  }
  return found;
}

test("no plaintext value or token in config, state, plan, show output, stdout, stderr or the trace log, errors and destroy included", async () => {
  requireTerraform();
  const emulator = await GithubEmulator.start({ tokens: [TOKEN], repositories: { [REPO]: ["production"] } });
  const tf = new TerraformDir("leaks", {
    GITHUB_API_URL: emulator.url,
    GITHUB_TOKEN: TOKEN,
    DB_PASSWORD: FROM_ENV,
  });
  try {
    const logPath = join(tf.dir, "terraform-trace.log");
    const trace = { TF_LOG: "trace", TF_LOG_PATH: logPath, TF_VAR_api_key: FROM_VARIABLE };
    tf.writeConfig(
      providerConfig(
        {
          db: {
            repository: REPO,
            environment: "production",
            secret_name: "DB_PASSWORD",
            value_env: "DB_PASSWORD",
          },
          api: {
            repository: REPO,
            environment: "production",
            secret_name: "API_KEY",
            value: "${var.api_key}",
          },
        },
        { variable: { api_key: { type: "string", ephemeral: true, sensitive: true } } },
      ),
    );
    const outputs: string[] = [];
    const run = async (args: string[], expected = 0) => {
      const result = await tf.ok(args, trace, expected);
      outputs.push(result.stdout, result.stderr);
      return result;
    };
    await run(["init"]);
    await run(["plan", "-out=leak.tfplan"]);
    const planJson = await run(["show", "-json", "leak.tfplan"]);
    await run(["apply", "leak.tfplan"]);
    expect(emulator.getSecretValue(REPO, "production", "DB_PASSWORD")).toBe(FROM_ENV);
    expect(emulator.getSecretValue(REPO, "production", "API_KEY")).toBe(FROM_VARIABLE);
    const stateJson = await run(["show", "-json"]);
    await run(["plan", "-detailed-exitcode"]);
    // Error paths too, with the canaries in play: credentials refused from the first call, and
    // writes refused after the value was read and sealed (422: the key is fetched again, once).
    emulator.injectFault({ kind: "status", status: 401, count: 100 });
    await run(["apply", "-auto-approve", "-replace=ghsecrets_environment_secret.db"], 1);
    emulator.clearFaults();
    emulator.injectFault({ kind: "status", status: 422, count: 100, match: { method: "PUT" } });
    const refused = await run(
      [
        "apply",
        "-auto-approve",
        "-replace=ghsecrets_environment_secret.db",
        "-replace=ghsecrets_environment_secret.api",
      ],
      1,
    );
    expect(refused.stderr).toMatch(/Cannot create the secret/);
    emulator.clearFaults();
    await run(["destroy", "-auto-approve"]);
    expect(emulator.listSecrets(REPO, "production")).toEqual([]);

    expect(planJson.stdout).toMatch(/"value":null/);
    expect(JSON.parse(stateJson.stdout).values.root_module.resources).toHaveLength(2);

    const planEntries = readZipEntries(readFileSync(join(tf.dir, "leak.tfplan")));
    expect(planEntries.size).toBeGreaterThan(0);
    const scanned: Array<[string, string]> = [
      ...outputs.map((text, i): [string, string] => [`command output #${i}`, text]),
      ["trace log", readFileSync(logPath, "utf8")],
      ...[...planEntries].map(([name, data]): [string, string] => [
        `plan file entry ${name}`,
        data.toString("latin1"),
      ]),
      // Everything in the working directory but the provider's own code (in the mirror and its copy in .terraform).
      ...filesUnder(tf.dir, (p) => p.endsWith(".cjs") || p.endsWith(".tfplan") || p === logPath).map(
        (p): [string, string] => [p, readFileSync(p, "latin1")],
      ),
    ];
    expect(scanned.find(([name]) => name.endsWith("terraform.tfstate"))).toBeDefined();
    // The provider's own log lines reached the trace log, so it was scanned too.
    expect(readFileSync(logPath, "utf8")).toMatch(
      /provider\.terraform-provider-ghsecrets[^\n]*fetched environment public key/,
    );
    for (const [name, text] of scanned) {
      for (const canary of CANARIES) {
        if (text.includes(canary)) throw new Error(`${name} contains a secret (${canary.slice(0, 12)}...)`);
      }
    }
  } finally {
    tf.remove();
    await emulator.stop();
  }
});
