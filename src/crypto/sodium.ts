import type * as Sodium from "libsodium-wrappers";

type SodiumApi = typeof Sodium;

let loading: Promise<SodiumApi> | undefined;

/**
 * libsodium is a large WebAssembly module: load it on first use, not at import, so that a
 * provider process that only answers schema or refresh calls never pays for it.
 */
export function loadSodium(): Promise<SodiumApi> {
  loading ??= import("libsodium-wrappers").then(async (module) => {
    const sodium = (module as { default?: SodiumApi }).default ?? module;
    await sodium.ready;
    return sodium;
  });
  return loading;
}
