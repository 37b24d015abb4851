/**
 * plan-report on real plans: Terraform plans against the emulator, every secret action of the
 * report made to happen (including changes and deletions made outside Terraform through the
 * emulator), `terraform show -json` read by the report. The report must name every change in words
 * and never print a value, a fingerprint, a sealed box or the token.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sealSecret } from "../src/crypto";
import { EXIT_DELETES, planReportCommand, type SecretChange } from "../src/report";
import { GithubEmulator } from "../src/testing";
import { providerConfig, REPO_ROOT, requireTerraform, TerraformDir } from "./helpers/terraform";

jest.setTimeout(180_000);

const REPO = "acme/api";
const VALUES: Record<string, string> = {
  V_KEEP: "keep-value-1",
  V_CHANGE: "change-value-1",
  V_MOVE: "move-value-1",
  V_GONE: "gone-value-1",
  V_NEW: "new-value-1",
  V_ADOPT: "adopt-value-1",
  TF_VAR_api_key: "variable-value-1",
};
const OUTSIDE_VALUE = "written-by-someone-else";

let emulator: GithubEmulator;
let tf: TerraformDir;
let sealed: string;
/** `terraform show -json` of the plan with every action, and of a plan with no changes. */
let everyAction: string;
let noChanges: string;
/** Values, fingerprints and the token: none may appear in a report. */
let forbidden: string[];

const secret = (environment: string, name: string, source: object) => ({
  repository: REPO,
  environment,
  secret_name: name,
  ...source,
});

function config(
  resources: Record<string, object>,
  marker: string,
  extra: Record<string, unknown> = {},
): object {
  const base = providerConfig(resources, {
    variable: { api_key: { type: "string", ephemeral: true, sensitive: true } },
    ...extra,
  }) as { resource: Record<string, unknown> };
  base.resource.terraform_data = { marker: { input: marker } };
  return base;
}

async function planJson(extraEnv: Record<string, string> = {}): Promise<string> {
  await tf.ok(["plan", "-out=tfplan"], extraEnv);
  return (await tf.ok(["show", "-json", "tfplan"])).stdout;
}

beforeAll(async () => {
  requireTerraform();
  emulator = await GithubEmulator.start({ repositories: { [REPO]: ["production", "staging"] } });
  tf = new TerraformDir("plan-report", {
    GITHUB_API_URL: emulator.url,
    GITHUB_TOKEN: emulator.token,
    ...VALUES,
  });
  sealed = await sealSecret("sealed-value-1", emulator.getPublicKey(REPO, "staging").key);
  const keyId = emulator.getPublicKey(REPO, "staging").keyId;
  const applied = {
    keep: secret("production", "KEEP", { value_env: "V_KEEP" }),
    change: secret("production", "CHANGE", { value_env: "V_CHANGE" }),
    outside: secret("production", "OUTSIDE", { value: "${var.api_key}" }),
    gone: secret("staging", "GONE", { value_env: "V_GONE" }),
    move: secret("production", "MOVE", { value_env: "V_MOVE" }),
    drop: secret("staging", "DROP", { encrypted_value: sealed, key_id: keyId }),
  };
  tf.writeConfig(config(applied, "one"));
  await tf.ok(["init"]);
  await tf.ok(["apply", "-auto-approve"]);
  noChanges = await planJson();

  // Outside Terraform: OUTSIDE rewritten, GONE deleted, ADOPT created by hand (to be imported).
  emulator.setSecretOutOfBand(REPO, "production", "OUTSIDE", OUTSIDE_VALUE);
  emulator.deleteSecretOutOfBand(REPO, "staging", "GONE");
  emulator.setSecretOutOfBand(REPO, "staging", "ADOPT", "adopted-by-hand");
  const { drop: _dropped, ...kept } = applied;
  tf.writeConfig(
    config(
      {
        ...kept,
        move: secret("staging", "MOVE", { value_env: "V_MOVE" }),
        fresh: secret("staging", "FRESH", { value_env: "V_NEW" }),
        adopt: secret("staging", "ADOPT", { value_env: "V_ADOPT" }),
      },
      "two",
      { import: [{ to: "ghsecrets_environment_secret.adopt", id: `${REPO}:staging:ADOPT` }] },
    ),
  );
  everyAction = await planJson({ V_CHANGE: "change-value-2" });

  const state = await tf.stateJson();
  forbidden = [
    ...Object.values(VALUES),
    "change-value-2",
    OUTSIDE_VALUE,
    "sealed-value-1",
    sealed,
    emulator.token,
    ...(state.values?.root_module?.resources ?? []).flatMap((r) =>
      typeof r.values.value_fingerprint === "string" ? [r.values.value_fingerprint] : [],
    ),
  ];
  expect(forbidden.filter((f) => f.startsWith("scrypt1$")).length).toBeGreaterThan(3);
});

afterAll(async () => {
  await emulator?.stop();
  tf?.remove();
});

/** Runs the command in process, on plan texts given as files named after their stack. */
function report(
  plans: Record<string, string>,
  flags: string[] = [],
): { code: number; out: string; err: string } {
  const files = Object.entries(plans).map(([stack, text]) => {
    const file = join(tf.dir, `${stack}.json`);
    writeFileSync(file, text);
    return file;
  });
  let out = "";
  let err = "";
  const code = planReportCommand([...flags, ...files], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    readStdin: () => "",
  });
  return { code, out, err };
}

function expectNothingSecret(text: string): void {
  for (const f of forbidden) expect(text).not.toContain(f);
  expect(text).not.toMatch(/scrypt1\$|sealed1\$/);
}

test("every action, in words, grouped by repository and environment, counts on the first line", () => {
  const { code, out, err } = report({ secrets: everyAction });
  expect({ code, err }).toEqual({ code: 0, err: "" });
  const lines = out.split("\n");
  expect(lines[0]).toBe(
    "Environment secrets: 1 to create · 1 to import · 1 value change · 1 restored after an outside change · " +
      "1 recreated after an outside deletion · 1 replaced · 1 to delete",
  );
  const row = (name: string) => lines.find((l) => l.startsWith(`| \`${name}\` |`));
  expect(row("CHANGE")).toBe("| `CHANGE` | value changed | `env V_CHANGE` |");
  expect(row("OUTSIDE")).toBe("| `OUTSIDE` | **restore**: changed outside Terraform | `variable api_key` |");
  expect(row("GONE")).toBe("| `GONE` | **recreate**: deleted outside Terraform | `env V_GONE` |");
  expect(row("MOVE")).toBe(
    "| `MOVE` | ⚠️ **replace** (environment was `production`): the old secret is deleted | `env V_MOVE` |",
  );
  expect(row("DROP")).toBe("| `DROP` | ⛔ **delete** | — |");
  expect(row("FRESH")).toBe("| `FRESH` | create | `env V_NEW` |");
  expect(row("ADOPT")).toBe("| `ADOPT` | import (then write the declared value) | `env V_ADOPT` |");
  expect(row("KEEP")).toBeUndefined();
  // Grouped: production's rows under its heading, staging's under its own.
  const production = lines.indexOf("**`acme/api`** · environment `production`");
  const staging = lines.indexOf("**`acme/api`** · environment `staging`");
  expect(production).toBeGreaterThan(0);
  expect(staging).toBeGreaterThan(production);
  expect(lines.indexOf(row("CHANGE")!)).toBeGreaterThan(production);
  expect(lines.indexOf(row("CHANGE")!)).toBeLessThan(staging);
  expect(lines.indexOf(row("DROP")!)).toBeGreaterThan(staging);
  expect(out).toContain("> [!WARNING]\n> 2 secrets will be deleted from GitHub");
  expect(lines).toContain("Other resources in the plan: 1 to update (`terraform_data`).");
  expectNothingSecret(out);
});

test("a plan with no changes says so on its first line", () => {
  const { code, out } = report({ secrets: noChanges });
  expect(code).toBe(0);
  expect(out).toBe("No changes to environment secrets.\n");
});

test("--json gives the same rows, names only", () => {
  const { code, out } = report({ secrets: everyAction }, ["--json"]);
  expect(code).toBe(0);
  const parsed = JSON.parse(out) as { summary: string; secrets: SecretChange[]; others: unknown[] };
  expect(parsed.summary).toMatch(/^Environment secrets: 1 to create · /);
  expect(parsed.secrets.map((s) => [s.environment, s.secretName, s.action, s.valueSource ?? null])).toEqual([
    ["production", "CHANGE", "value-change", "env V_CHANGE"],
    ["production", "OUTSIDE", "restore", "variable api_key"],
    ["staging", "ADOPT", "import", "env V_ADOPT"],
    ["staging", "DROP", "delete", null],
    ["staging", "FRESH", "create", "env V_NEW"],
    ["staging", "GONE", "recreate", "env V_GONE"],
    ["staging", "MOVE", "replace", "env V_MOVE"],
  ]);
  expect(parsed.others).toEqual([{ stack: "secrets", type: "terraform_data", action: "update" }]);
  expectNothingSecret(out);
});

test("--fail-on-delete exits 3 on a deletion, 0 without one", () => {
  const failing = report({ secrets: everyAction }, ["--fail-on-delete"]);
  expect(failing.code).toBe(EXIT_DELETES);
  expect(failing.err).toContain("deletes environment secrets");
  expect(failing.out.split("\n")[0]).toMatch(/^Environment secrets: /);
  expect(report({ secrets: noChanges }, ["--fail-on-delete"]).code).toBe(0);
});

test("several stacks in one report: counts added up, a stack column", () => {
  const { out } = report({ billing: everyAction, web: noChanges });
  expect(out.split("\n")[0]).toMatch(/^Environment secrets: 1 to create · /);
  expect(out).toContain("| secret | change | value from | stack |");
  expect(out).toContain("| `CHANGE` | value changed | `env V_CHANGE` | `billing` |");
});

test("the built CLI dispatches plan-report, reading stdin", () => {
  const out = execFileSync(process.execPath, [join(REPO_ROOT, "dist", "cli.js"), "plan-report"], {
    input: everyAction,
    encoding: "utf8",
  });
  expect(out.split("\n")[0]).toMatch(/^Environment secrets: 1 to create · /);
});

test("input that is not a plan: a message naming the file and what to run, exit 1", () => {
  const state = report({ state: JSON.stringify({ format_version: "1.0", values: {} }) });
  expect(state.code).toBe(1);
  expect(state.err).toMatch(
    /state\.json: this is a state, not a plan\. plan-report reads the output of `terraform show -json <planfile>`/,
  );
  const text = report({ text: "Plan: 1 to add" });
  expect(text.code).toBe(1);
  expect(text.err).toContain("text.json: not JSON");
  const usage = report({}, ["--bogus"]);
  expect(usage.code).toBe(2);
});

/**
 * The example report in docs/review-and-apply-from-ci.md and README.md is this test's plan,
 * rendered: the block between the markers must be exactly what plan-report prints for it.
 */
test.each(["docs/review-and-apply-from-ci.md", "README.md"])(
  "%s shows the report of this test's plan",
  (file) => {
    const { out } = report({ secrets: everyAction });
    const text = readFileSync(join(REPO_ROOT, file), "utf8");
    const begin = "<!-- plan-report example: begin -->\n";
    const end = "<!-- plan-report example: end -->";
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${file}: no "${begin.trim()}" ... "${end}" block`);
    expect(text.slice(from + begin.length, to)).toBe(`${out}`);
  },
);
