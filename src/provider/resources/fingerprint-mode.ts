import type { Fingerprinter, SchemeChange } from "../../crypto";
import type { Diagnostic, Value } from "../framework";

const WHY: Record<SchemeChange, string> = {
  "key added":
    "fingerprint_key_env now names a fingerprint key: value fingerprints become keyed HMACs instead of scrypt digests.",
  "key removed":
    "fingerprint_key_env is no longer set: value fingerprints become scrypt digests instead of keyed HMACs.",
  "key changed": "The key named by fingerprint_key_env is not the one the stored fingerprint was made with.",
};

/**
 * A warning for a plan whose fingerprint differs because the fingerprint mode or key changed, not
 * (necessarily) the value: the old fingerprint cannot be checked any more, so the secret is written
 * once more. Terraform folds the same warning from many secrets into one.
 */
export function fingerprintModeChanged(
  fingerprints: Fingerprinter,
  previous: Value | undefined,
): Diagnostic[] {
  const change = fingerprints.schemeChange(typeof previous === "string" ? previous : undefined);
  if (!change) return [];
  return [
    {
      severity: "warning",
      summary: "Secret rewritten once: the fingerprint key changed",
      detail: `${WHY[change]} A stored fingerprint cannot be compared across keys, so this apply writes each secret's declared value once more (the values themselves need not have changed); later plans are quiet again.`,
    },
  ];
}
