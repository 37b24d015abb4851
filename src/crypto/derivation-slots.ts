import { availableParallelism } from "node:os";

/**
 * At most this many scrypt derivations run at once: one per core. Node runs `crypto.scrypt` on
 * libuv's thread pool (4 threads), so derivations already run beside the event loop with no worker
 * threads of our own; the pool would run 4 at once, each holding its 8 MiB, and on 2 cores the
 * extra two only wait for a core while holding memory. Measured on a 500-secret no-op plan (2
 * cores, `npm run bench`): see docs/PERFORMANCE.md. libsodium (WebAssembly) has no asynchronous
 * scrypt or Argon2: it would block the event loop, so Node's own scrypt is used.
 */
export const DERIVATION_SLOTS = Math.max(1, availableParallelism());

let running = 0;
const waiting: Array<() => void> = [];

/** Runs `work` once fewer than DERIVATION_SLOTS derivations are running (memory stays bounded). */
export async function inDerivationSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= DERIVATION_SLOTS) await new Promise<void>((wake) => waiting.push(wake));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}
