import { createHash, randomBytes, scrypt } from "node:crypto";
import { inDerivationSlot } from "./derivation-slots";

/**
 * A value fingerprint lets the plan show that a secret's value changed without the value itself.
 * Anyone who can read the state or a saved plan sees it, so it must not make a weak secret
 * (a short password) cheap to recover by guessing:
 *
 * - a bare or salted fast hash (SHA-256) is tried at billions of guesses per second: rejected;
 * - by default, scrypt with a random per-secret salt makes every guess cost 8 MiB of memory and
 *   ~20-30 ms of a CPU core, for each secret separately (memory-hard: GPUs gain little). The
 *   provider pays one derivation per secret per plan, one per core at a time (derivation-slots.ts);
 * - with a key the user keeps outside the state (keyed-fingerprint.ts), an HMAC: microseconds for
 *   the provider, and no guess can be tested at all without the key.
 *
 * The salt is drawn once, when the secret is first written, and kept inside the fingerprint, so a
 * later plan derives the same fingerprint for the same value (Terraform demands stable plans).
 * Formats: `scrypt1$<salt>$<digest>` and `hmac1$<key id>$<salt>$<digest>` (base64url).
 */
export const SCRYPT_SCHEME = "scrypt1";
export const KEYED_SCHEME = "hmac1";
const SCRYPT = { N: 1 << 13, r: 8, p: 1, maxmem: 32 * 1024 * 1024 } as const;
export const SALT_BYTES = 16;
const DIGEST_BYTES = 32;

/** Fingerprints of already-sealed values: the ciphertext is not secret, a plain hash is enough. */
const SEALED_SCHEME = "sealed1";

/** What a fingerprint made by a {@link Fingerprinter} holds besides its digest. */
export interface FingerprintParts {
  readonly scheme: typeof SCRYPT_SCHEME | typeof KEYED_SCHEME;
  readonly salt: Buffer;
  /** Keyed fingerprints only: which key made it (not the key; see keyed-fingerprint.ts). */
  readonly keyId?: string;
}

/** Why an earlier fingerprint can differ from today's for the very same value. */
export type SchemeChange = "key added" | "key removed" | "key changed";

/** Derives value fingerprints in one mode; the provider holds one per process. */
export interface Fingerprinter {
  readonly mode: "scrypt" | "keyed";
  /** Fingerprint of a plaintext value, with the given salt or a fresh random one. */
  fingerprint(value: string, salt?: Buffer): Promise<string>;
  /**
   * Fingerprint of `value` that equals `previous` exactly when `previous` was made from the same
   * value in the same mode (and key); undefined when `previous` holds no reusable salt.
   */
  refingerprint(value: string, previous: string | null | undefined): Promise<string | undefined>;
  /** Set when `previous` was made in another mode or with another key: it differs whatever the value. */
  schemeChange(previous: string | null | undefined): SchemeChange | undefined;
}

function b64(bytes: Buffer): string {
  return bytes.toString("base64url");
}

/** The parts of a fingerprint of either scheme, or undefined for any other string. */
export function parseFingerprint(fingerprint: string | null | undefined): FingerprintParts | undefined {
  if (!fingerprint) return undefined;
  const parts = fingerprint.split("$");
  const [scheme] = parts;
  const shape =
    scheme === SCRYPT_SCHEME && parts.length === 3
      ? { salt: parts[1], keyId: undefined }
      : scheme === KEYED_SCHEME && parts.length === 4 && parts[1]
        ? { salt: parts[2], keyId: parts[1] }
        : undefined;
  if (!shape || !parts[parts.length - 1]) return undefined;
  const salt = Buffer.from(shape.salt, "base64url");
  if (salt.length !== SALT_BYTES) return undefined;
  return { scheme: scheme as FingerprintParts["scheme"], salt, keyId: shape.keyId };
}

/** The salt inside a fingerprint of either scheme, or undefined for any other string. */
export function saltOf(fingerprint: string | null | undefined): Buffer | undefined {
  return parseFingerprint(fingerprint)?.salt;
}

function scryptDigest(value: string, salt: Buffer): Promise<Buffer> {
  return inDerivationSlot(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scrypt(value, salt, DIGEST_BYTES, SCRYPT, (error, key) => (error ? reject(error) : resolve(key)));
      }),
  );
}

/**
 * The parts every mode shares: a fresh salt per secret, the salt reused on re-derivation, and
 * the scheme-change check. `derive` makes the string for a value and a salt.
 */
export function fingerprinterOf(
  mode: Fingerprinter["mode"],
  derive: (value: string, salt: Buffer) => Promise<string>,
  schemeChange: (previous: FingerprintParts) => SchemeChange | undefined,
): Fingerprinter {
  return {
    mode,
    fingerprint: (value, salt = randomBytes(SALT_BYTES)) => derive(value, salt),
    async refingerprint(value, previous) {
      const salt = saltOf(previous);
      return salt ? derive(value, salt) : undefined;
    },
    schemeChange(previous) {
      const parts = parseFingerprint(previous);
      return parts && schemeChange(parts);
    },
  };
}

/** The default mode: salted scrypt, nothing to configure or keep. */
export const scryptFingerprinter: Fingerprinter = fingerprinterOf(
  "scrypt",
  async (value, salt) => `${SCRYPT_SCHEME}$${b64(salt)}$${b64(await scryptDigest(value, salt))}`,
  (previous) => (previous.scheme === KEYED_SCHEME ? "key removed" : undefined),
);

/** Fingerprint of a plaintext value in the default (scrypt) mode. */
export function fingerprintValue(value: string, salt?: Buffer): Promise<string> {
  return scryptFingerprinter.fingerprint(value, salt);
}

/** {@link Fingerprinter.refingerprint} in the default (scrypt) mode. */
export function refingerprint(
  value: string,
  previous: string | null | undefined,
): Promise<string | undefined> {
  return scryptFingerprinter.refingerprint(value, previous);
}

/** Fingerprint of a value that arrives already sealed (`encrypted_value` + `key_id`). */
export function fingerprintSealed(encryptedValue: string, keyId: string): string {
  const digest = createHash("sha256").update(keyId).update("\0").update(encryptedValue).digest("base64url");
  return `${SEALED_SCHEME}$${digest}`;
}
