import type { IncomingMessage } from "node:http";
import type { Fault } from "./faults";
import { errorReply, type Reply } from "./replies";
import type { Store } from "./store";

/** What applying a fault may touch: the request, the store, the clock and the way to answer. */
export interface FaultContext {
  readonly req: IncomingMessage;
  readonly params: Record<string, string>;
  readonly requestId: string;
  readonly store: Store;
  /** Whole seconds since the epoch, from the emulator's clock (rate-limit reset times). */
  readonly nowSeconds: () => number;
  readonly answer: (reply: Reply) => void;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Applies a fault; true if it answered (or dropped) the request, false to carry on normally. */
export async function applyFault(fault: Fault, ctx: FaultContext): Promise<boolean> {
  const { params, store } = ctx;
  switch (fault.kind) {
    case "rotateKey":
    case "removeEnvironment": {
      const repo = store.repository(`${params.owner}/${params.repo}`);
      const env =
        repo && params.environment_name !== undefined
          ? store.environment(repo, params.environment_name)
          : undefined;
      if (repo && env) {
        if (fault.kind === "rotateKey") store.rotateKey(env);
        else store.removeEnvironment(repo, env.name);
      }
      return false;
    }
    case "drop":
      ctx.req.socket.destroy();
      return true;
    case "delay":
      await ctx.sleep(fault.ms);
      return false;
    case "status":
      ctx.answer(errorReply(fault.status, fault.message ?? statusMessage(fault.status)));
      return true;
    case "secondaryRateLimit":
      ctx.answer(
        errorReply(
          403,
          `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${ctx.requestId}.`,
          { "retry-after": String(fault.retryAfter) },
        ),
      );
      return true;
    case "rateLimit429":
      ctx.answer(
        errorReply(429, fault.message ?? "Too many requests. Please wait before trying again.", {
          "retry-after": String(fault.retryAfter),
        }),
      );
      return true;
    case "primaryRateLimit":
      ctx.answer(
        errorReply(403, "API rate limit exceeded for user ID 1.", {
          "x-ratelimit-limit": "5000",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-used": "5000",
          "x-ratelimit-reset": String(ctx.nowSeconds() + fault.resetAfter),
          "x-ratelimit-resource": "core",
        }),
      );
      return true;
  }
}

function statusMessage(status: number): string {
  if (status === 502) return "Server Error";
  if (status === 503) return "Service Unavailable";
  return status >= 500 ? "Internal Server Error" : "Error";
}
