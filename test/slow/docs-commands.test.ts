/**
 * Docs that run: every shell block of README.md, CONTRIBUTING.md, docs/*.md and examples/**\/README.md
 * is marked `<!-- test: run -->` or `<!-- test: illustrative (why) -->` (test/slow/README.md), and each
 * runnable block is executed here as written, from where its text says the user is, against the
 * GitHub emulator, and its effect is checked.
 *
 * Places:
 * - a fresh clone: `git clone` of the current commit at a 120-character path under the temporary
 *   directory, as a contributor would start;
 * - a consumer project: a new directory outside the repository that installs this package from its
 *   `npm pack` tarball, with the block's app or configuration (the TypeScript or HCL block before
 *   it) as main.ts or main.tf;
 * - the stack directory of that project after synth.
 *
 * A block runs in `bash -eo pipefail` (a failing line fails the block), one terminal "session" per
 * place: variables a block exports are there for the next block of that place, as in a terminal.
 *
 * Substitutions, all listed in RUNNABLE below and each checked to still match the block:
 * - placeholders (`GITHUB_TOKEN=...`, `DB_PASSWORD=...`, `TF_VAR_db_password=...`, `<stack>`) become
 *   variables holding the emulator's token or a test value (so that the script never shows them) or
 *   the stack's name;
 * - `npm test` in the quick start runs one test file: the whole suite is .ci/run's own step;
 * - `terraform apply` gets `yes` on stdin, as the user types it at the prompt.
 * And for every block, through the environment rather than the text: GITHUB_API_URL is the
 * emulator's URL (real GitHub is not reachable here), CHECKPOINT_DISABLE=1 (no version check over
 * the network), npm prefers its cache, and the consumer project has this repository's cdktf,
 * constructs and tsx versions (the ones in the npm cache) and this package from the tarball (it is
 * not published yet).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GithubEmulator } from "../../src/testing";
import { collectBounded, REPO_ROOT, requireTerraform, type RunResult } from "../helpers/terraform";
import { oneSecretApp } from "./helpers/consumer-project";
import {
  blockName,
  type CodeBlock,
  codeBlocks,
  commands,
  documentationFiles,
  firstCommand,
  shellBlocks,
} from "./helpers/doc-blocks";

/** Where the user stands when they type the block. */
type Place = "clone" | "consumer" | "stack";

interface Runnable {
  readonly file: string;
  /** The block's first command, as blockName shows it: identifies the block in its file. */
  readonly first: string;
  readonly place: Place;
  /** [as written, as run, why]; each must occur in the block. */
  readonly substitutions?: ReadonlyArray<readonly [string, string, string]>;
  /** What the user types while it runs. */
  readonly stdin?: string;
  readonly timeoutMs?: number;
}

const TOKEN_SUBSTITUTION = [
  "GITHUB_TOKEN=...",
  'GITHUB_TOKEN="$DOCS_TEST_TOKEN"',
  "the emulator's token, from a variable so that it is never printed",
] as const;
const DB_PASSWORD_SUBSTITUTION = [
  "DB_PASSWORD=...",
  'DB_PASSWORD="$DOCS_TEST_DB_PASSWORD"',
  "the value to store",
] as const;

/** Every runnable block, in the order the tests run them. */
const RUNNABLE: Record<string, Runnable> = {
  quickStart: {
    file: "README.md",
    first: "npm ci && npm start",
    place: "clone",
    substitutions: [
      [
        "npm test              #",
        "npm test -- --coverage=false test/rules.test.ts #",
        "one test file, without the whole-suite coverage thresholds: the whole suite is .ci/run's own step, on a fresh clone",
      ],
    ],
    timeoutMs: 900_000,
  },
  contributingEveryday: {
    file: "CONTRIBUTING.md",
    first: "npm run build",
    place: "clone",
    timeoutMs: 600_000,
  },
  readmeTerraform: {
    file: "README.md",
    first: "npx tsx main.ts",
    place: "consumer",
    substitutions: [TOKEN_SUBSTITUTION, DB_PASSWORD_SUBSTITUTION],
    stdin: "yes\n",
  },
  readmePlanReport: {
    file: "README.md",
    first: "cd cdktf.out/stacks/<stack>",
    place: "consumer",
    substitutions: [["<stack>", "secrets", "the stack of README's app"]],
  },
  reviewPlanReport: {
    file: "docs/review-and-apply-from-ci.md",
    first: "terraform plan -out=tfplan",
    place: "stack",
  },
  readmeImport: {
    file: "README.md",
    first: "export GITHUB_TOKEN=...",
    place: "consumer",
    substitutions: [TOKEN_SUBSTITUTION],
  },
  constructsTerraform: {
    file: "docs/constructs.md",
    first: "export GITHUB_TOKEN=... DB_PASSWORD=...",
    place: "consumer",
    substitutions: [TOKEN_SUBSTITUTION, DB_PASSWORD_SUBSTITUTION],
    stdin: "yes\n",
  },
  constructsImport: {
    file: "docs/constructs.md",
    first: "cd cdktf.out/stacks/secrets && terraform import ghsecrets_environment_secret.db-password",
    place: "consumer",
  },
  readmeHcl: {
    file: "README.md",
    first: "npx cdktf-github-secrets mirror .",
    place: "consumer",
    substitutions: [
      TOKEN_SUBSTITUTION,
      ["TF_VAR_db_password=...", 'TF_VAR_db_password="$DOCS_TEST_DB_PASSWORD"', "the value to store"],
    ],
    stdin: "yes\n",
  },
  ciLocally: {
    file: "examples/github-actions/README.md",
    first: "npm ci",
    place: "consumer",
    substitutions: [
      TOKEN_SUBSTITUTION,
      ['"DB_PASSWORD": "..."', '"DB_PASSWORD": "\'"$DOCS_TEST_DB_PASSWORD"\'"', "the value to store"],
    ],
  },
};

const DB_PASSWORD = "docs-test-db-password-value";
const EMULATOR_TOKEN = "docs-test-emulator-token-0123456789";
const REDACT = [DB_PASSWORD, EMULATOR_TOKEN];

const blocks = shellBlocks(REPO_ROOT);
let work: string;

/** The block RUNNABLE[key] names; throws when the docs no longer have it. */
function blockOf(key: string): CodeBlock {
  const spec = RUNNABLE[key]!;
  const found = blocks.filter(
    (b) => b.file === spec.file && firstCommand(b).startsWith(spec.first) && b.marker?.kind === "run",
  );
  if (found.length !== 1)
    throw new Error(
      `${spec.file}: expected one block marked <!-- test: run --> starting with \`${spec.first}\`, found ${found.length}: update RUNNABLE in this test`,
    );
  return found[0]!;
}

/** The text that runs: the block with its substitutions, each required to match. */
function asRun(key: string): string {
  let text = blockOf(key).text;
  for (const [from, to] of RUNNABLE[key]!.substitutions ?? []) {
    if (!text.includes(from)) throw new Error(`${RUNNABLE[key]!.file}: the block no longer holds "${from}"`);
    text = text.split(from).join(to);
  }
  return text;
}

function redact(text: string): string {
  return REDACT.reduce((out, secret) => out.split(secret).join("***"), text);
}

/** One terminal: what its blocks exported stays set for the next one. */
class Session {
  constructor(private env: Record<string, string>) {}

  /** Runs RUNNABLE[key]'s block in `cwd`; the result's output is redacted. */
  async run(key: string, cwd: string): Promise<RunResult & { output: string; secretsPrinted: number }> {
    const spec = RUNNABLE[key]!;
    const dir = mkdtempSync(join(work, "block-"));
    const script = join(dir, "block.sh");
    const envOut = join(dir, "env");
    writeFileSync(script, `trap 'env -0 > "${envOut}"' EXIT\nset -eo pipefail\n${asRun(key)}\n`);
    const child = spawn("bash", ["--noprofile", "--norc", script], {
      cwd,
      env: this.env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    child.stdin.end(spec.stdin ?? "");
    const result = await collectBounded(child, spec.timeoutMs ?? 300_000);
    if (existsSync(envOut)) {
      const next: Record<string, string> = {};
      for (const entry of readFileSync(envOut, "utf8").split("\0")) {
        const at = entry.indexOf("=");
        if (at > 0) next[entry.slice(0, at)] = entry.slice(at + 1);
      }
      for (const shellOwn of ["PWD", "OLDPWD", "SHLVL", "_"]) delete next[shellOwn];
      this.env = next;
    }
    rmSync(dir, { recursive: true, force: true });
    const raw = `${result.stdout}${result.stderr}`;
    return {
      code: result.code,
      stdout: redact(result.stdout),
      stderr: redact(result.stderr),
      output: redact(raw),
      secretsPrinted: REDACT.filter((secret) => raw.includes(secret)).length,
    };
  }

  /** Like run, but fails with the block's (redacted) output unless it exits 0. */
  async ok(key: string, cwd: string): Promise<string> {
    const result = await this.run(key, cwd);
    if (result.code !== 0)
      throw new Error(
        `${blockName(blockOf(key))} exited ${result.code} in ${cwd}:\n--- as run:\n${asRun(key)}\n--- output:\n${result.output}`,
      );
    // The value and the token are set in the environment; no command may print them.
    expect(result.secretsPrinted).toBe(0);
    return result.output;
  }
}

/** The environment every block starts from: a user's terminal on this machine. */
function userEnv(emulator: GithubEmulator | undefined): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    TMPDIR: process.env.TMPDIR ?? tmpdir(),
    LANG: "C.UTF-8",
    CHECKPOINT_DISABLE: "1",
    npm_config_prefer_offline: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    DOCS_TEST_DB_PASSWORD: DB_PASSWORD,
  };
  if (emulator) Object.assign(env, { GITHUB_API_URL: emulator.url, DOCS_TEST_TOKEN: emulator.token });
  return env;
}

/** Runs a helper command (setup, not documented), bounded; throws with its output on failure. */
async function setup(
  command: string,
  args: string[],
  cwd: string,
  env = userEnv(undefined),
): Promise<string> {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const result = await collectBounded(child, 600_000);
  const output = redact(`${result.stdout}${result.stderr}`);
  if (result.code !== 0)
    throw new Error(`${command} ${args.join(" ")} exited ${result.code} in ${cwd}:\n${output}`);
  return result.stdout;
}

/**
 * The `language` block just before `block` in its file, which must hold `expected`: the app (ts) or
 * the configuration (hcl) that block's commands run.
 */
function codeBefore(block: CodeBlock, language = "ts", expected = "app.synth()"): string {
  const before = codeBlocks(REPO_ROOT, block.file).filter(
    (b) => b.line < block.line && b.language === language,
  );
  const code = before[before.length - 1];
  if (!code?.text.includes(expected))
    throw new Error(`${blockName(block)}: no ${language} block holding ${expected} before it`);
  return code.text;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "cdktf-gh-secrets-docs-"));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("every shell block is marked", () => {
  test("each shell block has <!-- test: run --> or <!-- test: illustrative (why) --> just before it", () => {
    expect(blocks.length).toBeGreaterThan(5);
    const unmarked = blocks
      .filter((b) => !b.marker)
      .map((b) => `${blockName(b)}${b.badMarker ? ` (not a marker: ${b.badMarker})` : ""}`);
    expect(unmarked).toEqual([]);
  });

  test("every fence names its language, so no shell block goes unseen", () => {
    const bare = documentationFiles(REPO_ROOT)
      .flatMap((f) => codeBlocks(REPO_ROOT, f))
      .filter((b) => b.language === "");
    expect(bare.map((b) => `${b.file}:${b.line}`)).toEqual([]);
  });

  test("the runnable blocks are exactly those this test runs", () => {
    const marked = blocks
      .filter((b) => b.marker?.kind === "run")
      .map(blockName)
      .sort();
    const run = Object.keys(RUNNABLE)
      .map((key) => blockName(blockOf(key)))
      .sort();
    expect(marked).toEqual(run);
  });

  test("each command of a block marked run by .ci/run is a line of .ci/run", () => {
    const steps = new Set(
      readFileSync(join(REPO_ROOT, ".ci", "run"), "utf8")
        .split("\n")
        .map((line) => line.trim()),
    );
    const ciBlocks = blocks.filter((b) => b.marker?.kind === "ci");
    expect(ciBlocks.length).toBeGreaterThan(0);
    const notInCi = ciBlocks.flatMap((b) =>
      commands(b)
        .filter((command) => !steps.has(command))
        .map((command) => `${blockName(b)}: ${command}`),
    );
    expect(notInCi).toEqual([]);
  });
});

describe("from the root of a fresh clone at a 120-character path", () => {
  let clone: string;

  beforeAll(async () => {
    // The clone's path is exactly 120 characters: deep enough to trip anything that puts a unix
    // socket or a long file name under the project directory.
    const parent = mkdtempSync(join(work, "clone-"));
    clone = join(parent, "d".repeat(Math.max(1, 120 - parent.length - 1)));
    expect(clone).toHaveLength(120);
    await setup("git", ["clone", "--quiet", "--no-hardlinks", REPO_ROOT, clone], work);
  }, 120_000);

  test(`README quick start: npm ci && npm start, then npm test`, async () => {
    const output = await new Session(userEnv(undefined)).ok("quickStart", clone);
    expect(output).toMatch(/\[1\/5\] Synthesizing the app/);
    expect(output).toMatch(/Plan: 5 to add, 0 to change, 0 to destroy/);
    expect(output).toMatch(/Apply complete! Resources: 5 added, 0 changed, 0 destroyed/);
    expect(output.match(/decrypts to the declared value/g)).toHaveLength(5);
    expect(output).not.toContain("demo-value-of-");
    expect(output).toMatch(/Tests: +\d+ passed, \d+ total/);
  }, 900_000);

  test("CONTRIBUTING.md: the everyday loop (build, one test file, format) leaves the clone unchanged", async () => {
    const output = await new Session(userEnv(undefined)).ok("contributingEveryday", clone);
    expect(output).toMatch(/bundled .*terraform-provider-ghsecrets\.cjs/);
    expect(output).toMatch(/Tests: +\d+ passed, \d+ total/);
    expect(await setup("git", ["status", "--porcelain"], clone)).toBe("");
  }, 600_000);
});

describe("in a consumer project that installs the packed package", () => {
  let project: string;
  let emulator: GithubEmulator;
  let session: Session;

  beforeAll(async () => {
    requireTerraform();
    if (!existsSync(join(REPO_ROOT, "dist", "provider-bundle", "terraform-provider-ghsecrets.cjs")))
      throw new Error("dist/ is missing: run `npm run build` before `npm run test:slow`");
    const packed = JSON.parse(
      await setup("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], REPO_ROOT),
    ) as [{ filename: string }];
    const own = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
      devDependencies: Record<string, string>;
    };
    project = join(work, "acme-secrets");
    mkdirSync(project);
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({
        name: "acme-secrets",
        private: true,
        dependencies: {
          "cdktf-github-secrets": `file:${join(work, packed[0].filename)}`,
          cdktf: own.devDependencies.cdktf,
          constructs: own.devDependencies.constructs,
        },
        devDependencies: { tsx: own.devDependencies.tsx },
      }),
    );
    await setup("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], project);
  }, 600_000);

  /** A new emulator and an empty project (no synth output, no state) with `files` written. */
  async function fresh(files: Record<string, string>, repositories: Record<string, string[]>): Promise<void> {
    await emulator?.stop();
    emulator = await GithubEmulator.start({ tokens: [EMULATOR_TOKEN], repositories });
    for (const old of [
      "cdktf.out",
      "terraform.secrets.tfstate",
      "terraform.example.tfstate",
      "main.ts",
      "main.tf",
      "terraform.d",
      ".terraform",
      ".terraform.lock.hcl",
      "terraform.tfstate",
    ])
      rmSync(join(project, old), { recursive: true, force: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(project, name), text);
    session = new Session(userEnv(emulator));
  }

  afterAll(async () => {
    await emulator?.stop();
  });

  describe("README: synth, then Terraform from the stack directory", () => {
    beforeAll(async () => {
      await fresh(
        { "main.ts": codeBefore(blockOf("readmeTerraform")) },
        {
          "acme/api": ["production", "staging"],
        },
      );
    });

    test("npx tsx main.ts; cd cdktf.out/stacks/secrets; terraform init, plan, apply", async () => {
      const output = await session.ok("readmeTerraform", project);
      expect(output).toMatch(/Terraform has been successfully initialized/);
      expect(output).toMatch(/Apply complete! Resources: 1 added/);
      expect(emulator.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBe(DB_PASSWORD);
    });

    test("plan-report of a plan that restores a secret changed outside Terraform", async () => {
      emulator.setSecretOutOfBand("acme/api", "production", "DB_PASSWORD", "typed-in-the-settings");
      const output = await session.ok("readmePlanReport", project);
      expect(output).toMatch(/Environment secrets: 1 restored after an outside change/);
      expect(output).toContain(
        "| `DB_PASSWORD` | **restore**: changed outside Terraform | `env DB_PASSWORD` |",
      );
      expect(existsSync(join(project, "cdktf.out", "stacks", "secrets", "tfplan"))).toBe(false);
    });

    test("docs/review-and-apply-from-ci.md: the same, from the stack directory", async () => {
      const output = await session.ok("reviewPlanReport", join(project, "cdktf.out", "stacks", "secrets"));
      expect(output).toContain(
        "| `DB_PASSWORD` | **restore**: changed outside Terraform | `env DB_PASSWORD` |",
      );
    });

    test("cdktf-github-secrets import lists what exists and prints the code that adopts it", async () => {
      emulator.setSecretOutOfBand("acme/api", "staging", "LEGACY_KEY", "made-by-hand");
      const output = await session.ok("readmeImport", project);
      expect(output).toMatch(/2 existing secret\(s\) in 2 environment\(s\)/);
      for (const [environment, name] of [
        ["production", "DB_PASSWORD"],
        ["staging", "LEGACY_KEY"],
      ])
        expect(output.replace(/\s+/g, " ")).toContain(
          `repository: "acme/api", environment: "${environment}", secretName: "${name}", value: SecretValue.fromEnv("${name}"), }).importExisting();`,
        );
      expect(output).not.toContain("made-by-hand");
    });
  });

  describe("docs/constructs.md: Terraform from the stack directory, then terraform import", () => {
    beforeAll(async () => {
      await fresh(
        { "main.ts": codeBefore(blockOf("constructsTerraform")) },
        {
          "acme/api": ["production", "prod/eu"],
        },
      );
    });

    test("export; cd cdktf.out/stacks/secrets; terraform init, plan, apply", async () => {
      // This page's block does not synthesize: the user has, as the sentence before it says.
      await setup(join(project, "node_modules", ".bin", "tsx"), ["main.ts"], project);
      const output = await session.ok("constructsTerraform", project);
      expect(output).toMatch(/Apply complete! Resources: 1 added/);
      expect(emulator.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBe(DB_PASSWORD);
    });

    test("terraform import adopts the secret of the app above, which then plans as one in-place update", async () => {
      // The situation import is for: the secret exists on GitHub, the state does not know it.
      const stack = join(project, "cdktf.out", "stacks", "secrets");
      await setup("terraform", ["state", "rm", "ghsecrets_environment_secret.db-password"], stack);
      const output = await session.ok("constructsImport", project);
      expect(output).toMatch(/Import successful!/);
      const plan = await setup("terraform", ["plan", "-no-color", "-input=false"], stack, {
        ...userEnv(emulator),
        GITHUB_TOKEN: emulator.token,
        DB_PASSWORD,
      });
      expect(plan).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
    });
  });

  describe("README: the provider from plain HCL", () => {
    beforeAll(async () => {
      const hcl = codeBefore(blockOf("readmeHcl"), "hcl", 'resource "ghsecrets_environment_secret"');
      await fresh({ "main.tf": hcl }, { "acme/api": ["production"] });
    });

    test("mirror, providers lock, init, then apply with the value from TF_VAR_db_password", async () => {
      const output = await session.ok("readmeHcl", project);
      expect(output).toMatch(/Wrote provider cdktf-github-secrets\.local\/ghsecrets\/ghsecrets/);
      expect(output).toMatch(/Terraform has been successfully initialized/);
      expect(output).not.toMatch(/Incomplete lock file information/);
      expect(output).toMatch(/Apply complete! Resources: 1 added/);
      // One h1 hash serves all four platforms: their packages are the same launcher and bundle.
      expect(output.match(/Obtained \S+ checksums for (linux|darwin)_(amd64|arm64)/g)).toHaveLength(4);
      const lock = readFileSync(join(project, ".terraform.lock.hcl"), "utf8");
      const version = (
        JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
      ).version;
      expect(lock).toContain(
        `provider "cdktf-github-secrets.local/ghsecrets/ghsecrets" {\n  version = "${version}"\n  hashes = [\n    "h1:`,
      );
      expect(emulator.getSecretValue("acme/api", "production", "DB_PASSWORD")).toBe(DB_PASSWORD);
    });
  });

  describe("examples/github-actions/README.md: the workflow's steps, locally", () => {
    beforeAll(async () => {
      await fresh(
        {
          "main.ts": oneSecretApp({
            stack: "example",
            value: 'SecretValue.fromJsonEnv("REPOSITORY_SECRETS", "DB_PASSWORD")',
          }),
        },
        { "acme/api": ["production"] },
      );
      writeFileSync(
        join(project, "cdktf.json"),
        JSON.stringify({ language: "typescript", app: "npx tsx main.ts" }),
      );
    });

    test("npm ci; synth with cdktf.json's app; init; plan; plan-report", async () => {
      const output = await session.ok("ciLocally", project);
      expect(output).toMatch(/Environment secrets: 1 to create/);
      expect(output).toContain("| `DB_PASSWORD` | create | `env REPOSITORY_SECRETS, key DB_PASSWORD` |");
      expect(existsSync(join(project, "cdktf.out", "stacks", "example", "tfplan"))).toBe(false);
      expect(emulator.listSecrets("acme/api", "production")).toEqual([]);
    });
  });
});
