/**
 * Runs one job of a GitHub Actions workflow the way a runner does, for tests: `if:` conditions and
 * `${{ }}` expressions evaluated by GitHub's own expression library (@actions/expressions), each
 * `run:` step in `bash --noprofile --norc -eo pipefail` (the runner's default shell) with the
 * runner's files (GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) and variables, step outcomes and
 * outputs fed to later steps. Of the `uses:` steps, `actions/checkout` copies the repository,
 * `actions/github-script` runs its script with Octokit against `GITHUB_API_URL`, and the setup
 * actions check that what they would install is already here. Anything else fails the step.
 *
 * Written for this project's tests: no library runs workflow steps locally without Docker (`act`
 * needs Docker and a Go binary from GitHub), and only the steps' behaviour matters here.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type * as Expressions from "@actions/expressions" with { "resolution-mode": "import" };
import type * as ExpressionResults from "@actions/expressions/result" with { "resolution-mode": "import" };
import { parse } from "yaml";
import { collectBounded } from "../../helpers/terraform";

// ESM-only: Jest transforms it to CommonJS (jest.config.js) and maps the paths (jest.slow.config.js).
const { Evaluator, Lexer, Parser, data } = require("@actions/expressions") as typeof Expressions;
const { truthy } = require("@actions/expressions/result") as typeof ExpressionResults;
type ExpressionData = Expressions.data.ExpressionData;

interface StepDef {
  readonly id?: string;
  readonly name?: string;
  readonly if?: string | boolean;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string | number | boolean>;
  readonly env?: Record<string, string>;
  readonly "working-directory"?: string;
}

interface JobDef {
  readonly if?: string;
  readonly env?: Record<string, string>;
  readonly steps: readonly StepDef[];
}

export interface WorkflowDef {
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, JobDef>;
  readonly on: Record<string, unknown>;
}

export interface StepResult {
  readonly name: string;
  readonly id?: string;
  readonly outcome: "success" | "failure" | "skipped";
  readonly output: string;
}

export interface JobResult {
  /** False when the job's `if:` kept it from running. */
  readonly ran: boolean;
  readonly outcome: "success" | "failure" | "skipped";
  readonly steps: StepResult[];
  /** What the steps wrote to GITHUB_STEP_SUMMARY, in order. */
  readonly summary: string;
}

export interface RunOptions {
  /** The repository at the commit the event is for: copied into the workspace by actions/checkout. */
  readonly checkout: string;
  /** `github` context: event_name, ref, sha, repository, event (the payload), and the like. */
  readonly github: Record<string, unknown> & { event_name: string; repository: string };
  readonly secrets: Record<string, string>;
  /** The runner's own variables (PATH, HOME, GITHUB_API_URL...). */
  readonly runnerEnv: Record<string, string>;
  /** Where the workspace and RUNNER_TEMP are made; removed afterwards. */
  readonly scratch: string;
  /** Bound on each step. */
  readonly stepTimeoutMs?: number;
  /** Node modules that hold `@octokit/rest`, for actions/github-script. */
  readonly octokitFrom: string;
}

export function loadWorkflow(path: string): WorkflowDef {
  return parse(readFileSync(path, "utf8")) as WorkflowDef;
}

const STATUS_FUNCTIONS = ["success", "failure", "always", "cancelled"];

/** Evaluates one expression (without `${{ }}`) against the contexts. */
export function evaluate(
  expression: string,
  contexts: Record<string, unknown>,
  jobFailed = false,
): ExpressionData {
  const lexed = new Lexer(expression).lex();
  const parser = new Parser(
    lexed.tokens,
    Object.keys(contexts),
    STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 })),
  );
  const status = (value: boolean) => ({
    call: () => new data.BooleanData(value),
  });
  const functions = new Map(
    Object.entries({
      success: status(!jobFailed),
      failure: status(jobFailed),
      always: status(true),
      cancelled: status(false),
    }).map(([name, impl]) => [name, { name, minArgs: 0, maxArgs: 0, ...impl }]),
  );
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as Expressions.data.Dictionary;
  return new Evaluator(parser.parse(), context, functions).evaluate();
}

/** Replaces every `${{ expression }}` in `text`. */
export function interpolate(text: string, contexts: Record<string, unknown>): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
    evaluate(expression.trim(), contexts).coerceString(),
  );
}

/** A step's or job's `if:`: without a status function it means `success() && (...)`, as on GitHub. */
function condition(
  raw: string | boolean | undefined,
  contexts: Record<string, unknown>,
  jobFailed: boolean,
): boolean {
  if (raw === undefined) return !jobFailed;
  const expression = String(raw)
    .replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, "$1")
    .trim();
  const full = STATUS_FUNCTIONS.some((f) => new RegExp(`\\b${f}\\(`).test(expression))
    ? expression
    : `success() && (${expression})`;
  return truthy(evaluate(full, contexts, jobFailed));
}

/** `name=value` lines and `name<<DELIMITER` blocks, as GITHUB_OUTPUT and GITHUB_ENV hold them. */
export function parseKeyValueFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end < 0) throw new Error(`unterminated ${heredoc[2]} block for ${heredoc[1]}`);
      result[heredoc[1]!] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (line.includes("=")) {
      const at = line.indexOf("=");
      result[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return result;
}

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

/** A node script that runs an actions/github-script `script` as that action does (an async function body). */
const GITHUB_SCRIPT_RUNNER = `
const { createRequire } = require("node:module");
const input = JSON.parse(require("node:fs").readFileSync(process.argv[2], "utf8"));
(async () => {
  const { Octokit } = await import(input.octokit);
  const github = new Octokit({ baseUrl: process.env.GITHUB_API_URL, auth: input.token });
  const [owner, repo] = process.env.GITHUB_REPOSITORY.split("/");
  const payload = input.payload;
  const context = {
    payload,
    eventName: process.env.GITHUB_EVENT_NAME,
    sha: process.env.GITHUB_SHA,
    ref: process.env.GITHUB_REF,
    runId: Number(process.env.GITHUB_RUN_ID),
    serverUrl: process.env.GITHUB_SERVER_URL,
    apiUrl: process.env.GITHUB_API_URL,
    repo: { owner, repo },
    issue: { owner, repo, number: (payload.issue || payload.pull_request || payload).number },
  };
  const core = { info: console.log, warning: console.warn, setFailed: (m) => { console.error(m); process.exitCode = 1; } };
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
  const fn = new AsyncFunction("require", "github", "context", "core", "process", input.script);
  await fn(createRequire(process.cwd() + "/"), github, context, core, process);
})().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exitCode = 1;
});
`;

/** Runs a command to its end, bounded; asynchronous so that an in-process emulator keeps answering. */
async function runCommand(
  command: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; output: string }> {
  const child = spawn(command[0]!, command.slice(1), {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const { code, stdout, stderr } = await collectBounded(child, timeoutMs);
  return { status: code, output: `${stdout}${stderr}` };
}

/** Runs job `jobName` of `workflow` for the event in `options.github`. */
export async function runJob(
  workflow: WorkflowDef,
  jobName: string,
  options: RunOptions,
): Promise<JobResult> {
  const job = workflow.jobs[jobName];
  if (!job) throw new Error(`the workflow has no job "${jobName}"`);
  const root = mkdtempSync(join(options.scratch, `${jobName}-`));
  const workspace = join(root, "workspace");
  const runnerTemp = join(root, "temp");
  mkdirSync(workspace);
  mkdirSync(runnerTemp);
  const eventPath = join(runnerTemp, "event.json");
  writeFileSync(eventPath, JSON.stringify(options.github.event ?? {}));

  const github: Record<string, unknown> & { event_name: string; repository: string } = {
    ...options.github,
    workspace,
    job: jobName,
    token: options.secrets.github_token,
  };
  const steps: Record<string, { outcome: string; conclusion: string; outputs: Record<string, string> }> = {};
  let env: Record<string, string> = {};
  const contexts = () => ({
    github,
    env,
    secrets: options.secrets,
    steps,
    vars: {},
    inputs: {},
    runner: { os: "Linux", temp: runnerTemp },
    job: {},
  });
  const evalMap = (map: Record<string, string> | undefined) =>
    Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, interpolate(String(v), contexts())]));

  env = evalMap(workflow.env);
  if (!condition(job.if, contexts(), false)) {
    rmSync(root, { recursive: true, force: true });
    return { ran: false, outcome: "skipped", steps: [], summary: "" };
  }
  env = { ...env, ...evalMap(job.env) };

  const results: StepResult[] = [];
  let failed = false;
  let summary = "";
  for (const [index, step] of job.steps.entries()) {
    const name = step.name ?? step.uses ?? step.run?.split("\n")[0] ?? `step ${index + 1}`;
    const record = (outcome: StepResult["outcome"], output: string, outputs: Record<string, string> = {}) => {
      results.push({ name, id: step.id, outcome, output });
      if (step.id) steps[step.id] = { outcome, conclusion: outcome, outputs };
      if (outcome === "failure") failed = true;
    };
    if (!condition(step.if, contexts(), failed)) {
      record("skipped", "");
      continue;
    }
    const files = {
      GITHUB_ENV: join(runnerTemp, `env-${index}`),
      GITHUB_OUTPUT: join(runnerTemp, `output-${index}`),
      GITHUB_STEP_SUMMARY: join(runnerTemp, `summary-${index}`),
      GITHUB_PATH: join(runnerTemp, `path-${index}`),
    };
    for (const file of Object.values(files)) writeFileSync(file, "");
    const stepEnv: Record<string, string> = {
      ...options.runnerEnv,
      CI: "true",
      GITHUB_ACTIONS: "true",
      RUNNER_OS: "Linux",
      RUNNER_TEMP: runnerTemp,
      GITHUB_WORKSPACE: workspace,
      GITHUB_EVENT_NAME: github.event_name,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: github.repository,
      GITHUB_REF: String((github.ref as string | number | undefined) ?? ""),
      GITHUB_SHA: String((github.sha as string | number | undefined) ?? ""),
      GITHUB_RUN_ID: String((github.run_id as string | number | undefined) ?? "1"),
      GITHUB_SERVER_URL: String((github.server_url as string | number | undefined) ?? "https://github.com"),
      GITHUB_JOB: jobName,
      ...files,
      ...env,
      ...evalMap(step.env),
    };
    const cwd = step["working-directory"]
      ? join(workspace, interpolate(step["working-directory"], contexts()))
      : workspace;
    let command: string[];
    if (step.run !== undefined) {
      const script = join(runnerTemp, `step-${index}.sh`);
      writeFileSync(script, interpolate(step.run, contexts()));
      command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", script];
    } else if (step.uses?.startsWith("actions/checkout@")) {
      cpSync(options.checkout, workspace, {
        recursive: true,
        filter: (src) => !src.includes("node_modules"),
      });
      record("success", "checked out");
      continue;
    } else if (
      step.uses?.startsWith("actions/setup-node@") ||
      step.uses?.startsWith("hashicorp/setup-terraform@")
    ) {
      record("success", "already installed on this runner");
      continue;
    } else if (step.uses?.startsWith("actions/github-script@")) {
      const withs = evalMap(step.with as Record<string, string>);
      const inputFile = join(runnerTemp, `github-script-${index}.json`);
      writeFileSync(
        inputFile,
        JSON.stringify({
          script: withs.script,
          token: withs["github-token"] ?? options.secrets.github_token,
          octokit: options.octokitFrom,
          payload: options.github.event ?? {},
        }),
      );
      const runner = join(runnerTemp, `github-script-${index}.cjs`);
      writeFileSync(runner, GITHUB_SCRIPT_RUNNER);
      command = [process.execPath, runner, inputFile];
    } else {
      record("failure", `the test runner cannot run ${step.uses}`);
      continue;
    }
    const run = await runCommand(command, cwd, stepEnv, options.stepTimeoutMs ?? 300_000);
    summary += readIfExists(files.GITHUB_STEP_SUMMARY);
    env = { ...env, ...parseKeyValueFile(readIfExists(files.GITHUB_ENV)) };
    record(
      run.status === 0 ? "success" : "failure",
      run.output,
      parseKeyValueFile(readIfExists(files.GITHUB_OUTPUT)),
    );
  }
  rmSync(root, { recursive: true, force: true });
  return { ran: true, outcome: failed ? "failure" : "success", steps: results, summary };
}
