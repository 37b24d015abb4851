/** Imported first by main.ts: nothing else of the bundle runs on a Node.js that is too old. */
import { MAGIC_COOKIE_KEY, nodeVersionProblem } from "./protocol/handshake";
import { reportStartupFailure } from "./startup-failure";

const problem = nodeVersionProblem();
if (problem) reportStartupFailure(problem, process.env[MAGIC_COOKIE_KEY] !== undefined);
