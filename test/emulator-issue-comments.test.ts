/**
 * The emulator's issue-comment endpoints, through Octokit as `actions/github-script` calls them:
 * a comment is created, listed (paginated), updated in place; GitHub's 422/404/403 answers.
 */
import type { Octokit } from "@octokit/rest" with { "resolution-mode": "import" };
import { GithubEmulator } from "../src/testing";

const REPO = "acme/api";
let emu: GithubEmulator;
let github: Octokit;
let readOnly: Octokit;

beforeAll(async () => {
  emu = await GithubEmulator.start({
    tokens: { full: {}, read: { access: "read" } },
    repositories: { [REPO]: [] },
  });
  const { Octokit: Client } = await import("@octokit/rest");
  // Quiet: the refusals below are expected, Octokit would log each one.
  const log = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  };
  github = new Client({ baseUrl: emu.url, auth: "full", log });
  readOnly = new Client({ baseUrl: emu.url, auth: "read", log });
});

afterAll(async () => {
  await emu.stop();
});

const owner = "acme";
const repo = "api";

test("create, list with pagination, update in place", async () => {
  const created = await github.rest.issues.createComment({ owner, repo, issue_number: 7, body: "first" });
  expect(created.status).toBe(201);
  expect(created.data.user).toMatchObject({ login: "github-actions[bot]", type: "Bot" });
  for (let i = 0; i < 34; i++)
    await github.rest.issues.createComment({ owner, repo, issue_number: 7, body: `n${i}` });
  await github.rest.issues.createComment({ owner, repo, issue_number: 8, body: "other issue" });
  const all = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number: 7 });
  expect(all).toHaveLength(35);
  expect(all[0].body).toBe("first");

  const updated = await github.rest.issues.updateComment({
    owner,
    repo,
    comment_id: created.data.id,
    body: "second",
  });
  expect(updated.data.body).toBe("second");
  const held = emu.issueComments(REPO, 7);
  expect(held).toHaveLength(35);
  expect(held[0]).toMatchObject({ id: created.data.id, body: "second" });
  expect(emu.issueComments(REPO, 8).map((c) => c.body)).toEqual(["other issue"]);
});

test("GitHub's refusals: empty or too long body 422, unknown comment 404, read-only token 403", async () => {
  const fail = (p: Promise<unknown>) =>
    p.then(
      () => 0,
      (e: { status: number }) => e.status,
    );
  expect(await fail(github.rest.issues.createComment({ owner, repo, issue_number: 9, body: "" }))).toBe(422);
  const tooLong = "x".repeat(65537);
  expect(await fail(github.rest.issues.createComment({ owner, repo, issue_number: 9, body: tooLong }))).toBe(
    422,
  );
  expect(await fail(github.rest.issues.updateComment({ owner, repo, comment_id: 999, body: "x" }))).toBe(404);
  expect(await fail(readOnly.rest.issues.createComment({ owner, repo, issue_number: 9, body: "x" }))).toBe(
    403,
  );
  expect(emu.issueComments(REPO, 9)).toEqual([]);
});
