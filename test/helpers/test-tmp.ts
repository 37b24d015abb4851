import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { TMP_ROOT } from "./terraform";

/**
 * A private folder under the project's ignored .tmp that os.tmpdir() returns for this suite (cdktf's
 * Testing.app() and fullSynth write there), removed after the suite. Jest gives tests a copy of
 * process.env, so setting TMPDIR alone would not reach os.tmpdir().
 */
export function useTestTmp(name: string): string {
  mkdirSync(TMP_ROOT, { recursive: true });
  const tmp = mkdtempSync(join(TMP_ROOT, `${name}-`));
  // The core module object itself (an ES namespace import would be a frozen copy).
  const os = require("node:os") as typeof import("node:os");
  const tmpdirSpy = jest.spyOn(os, "tmpdir").mockReturnValue(tmp);
  afterAll(() => {
    tmpdirSpy.mockRestore();
    rmSync(tmp, { recursive: true, force: true });
  });
  return tmp;
}

/** The message of the error `fn` throws (fails the test when it does not throw). */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error, none was thrown");
}
