import { createHmac } from "node:crypto";
import {
  type Fingerprinter,
  fingerprinterOf,
  KEYED_SCHEME,
  SCRYPT_SCHEME,
  scryptFingerprinter,
} from "./fingerprint";

/**
 * The keyed mode: `hmac1$<key id>$<salt>$HMAC-SHA256(key, salt || value)`. With a random key kept
 * outside the state (a CI secret), whoever reads the state or a plan cannot test a single guess of
 * a value, and the provider spends microseconds instead of an scrypt derivation per secret.
 *
 * The salt stays: without it two secrets holding the same value would show the same fingerprint.
 * The key id (an HMAC of a fixed label under the key) tells a changed key from a changed value,
 * so the plan can say why every fingerprint differs once; it reveals nothing about any value.
 */
export const MIN_KEY_BYTES = 32;
const KEY_ID_LABEL = "cdktf-github-secrets fingerprint key id";
const KEY_ID_BYTES = 6;

/** A fingerprint key too short to be a random key; the message says how to make one. */
export class FingerprintKeyError extends Error {
  constructor(bytes: number) {
    super(
      `the fingerprint key is ${bytes} bytes long; it must be at least ${MIN_KEY_BYTES} random bytes. ` +
        "Generate one with `openssl rand -base64 32` and keep it as a CI secret.",
    );
    this.name = "FingerprintKeyError";
  }
}

/** The keyed fingerprinter for `key` (text, used as its UTF-8 bytes). */
export function keyedFingerprinter(key: string): Fingerprinter {
  const keyBytes = Buffer.from(key, "utf8");
  if (keyBytes.length < MIN_KEY_BYTES) throw new FingerprintKeyError(keyBytes.length);
  const keyId = createHmac("sha256", keyBytes).update(KEY_ID_LABEL).digest().subarray(0, KEY_ID_BYTES);
  const keyIdText = keyId.toString("base64url");
  return fingerprinterOf(
    "keyed",
    async (value, salt) => {
      const digest = createHmac("sha256", keyBytes).update(salt).update(value, "utf8").digest("base64url");
      return `${KEYED_SCHEME}$${keyIdText}$${salt.toString("base64url")}$${digest}`;
    },
    (previous) => {
      if (previous.scheme === SCRYPT_SCHEME) return "key added";
      return previous.keyId === keyIdText ? undefined : "key changed";
    },
  );
}

/** The keyed fingerprinter when a key is given, else the default scrypt one. */
export function createFingerprinter(key?: string): Fingerprinter {
  return key === undefined ? scryptFingerprinter : keyedFingerprinter(key);
}
