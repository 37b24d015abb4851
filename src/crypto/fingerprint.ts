import { createHash, randomBytes, scrypt } from "node:crypto";

/**
 * A value fingerprint lets the plan show that a secret's value changed without the value itself.
 * Anyone who can read the state or a saved plan sees it, so it must not make a weak secret
 * (a short password) cheap to recover by guessing:
 *
 * - a bare or salted fast hash (SHA-256) is tried at billions of guesses per second: rejected;
 * - a key held outside the state (an HMAC key) would have to be configured and kept by every user: rejected;
 * - scrypt with a random per-secret salt makes every guess cost 8 MiB of memory and ~20 ms of a
 *   CPU core, for each secret separately (memory-hard: GPUs gain little). The provider pays one
 *   derivation per secret per plan; N=2^13, r=8, p=1 keeps a 100-secret plan near one second on
 *   two cores (measured: N=2^14 doubled that for a 2x harder guess; see `npm run bench`).
 *
 * The salt is drawn once, when the secret is first written, and kept inside the fingerprint, so a
 * later plan derives the same fingerprint for the same value (Terraform demands stable plans).
 * Format: `scrypt1$<salt b64url>$<digest b64url>`. The parameters are tied to the `scrypt1` tag.
 */
const SCHEME = "scrypt1";
const SCRYPT = { N: 1 << 13, r: 8, p: 1, maxmem: 32 * 1024 * 1024 } as const;
const SALT_BYTES = 16;
const DIGEST_BYTES = 32;

/** Fingerprints of already-sealed values: the ciphertext is not secret, a plain hash is enough. */
const SEALED_SCHEME = "sealed1";

/**
 * One derivation at a time. libuv would run four at once, each holding its 8 MiB. Measured on a
 * 100-secret plan (`npm run bench`, two cores): two at a time, 88 MiB peak RSS and a 1.8 s plan;
 * one at a time, 79.5 MiB and 2.3 s. The provider's memory target (80 MiB) wins over half a
 * second per hundred secrets.
 */
const MAX_PARALLEL = 1;
let running = 0;
const waiting: Array<() => void> = [];

async function derive(value: string, salt: Buffer): Promise<Buffer> {
  if (running >= MAX_PARALLEL) await new Promise<void>((wake) => waiting.push(wake));
  running++;
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      scrypt(value, salt, DIGEST_BYTES, SCRYPT, (error, key) => (error ? reject(error) : resolve(key)));
    });
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** The salt inside a fingerprint made by `fingerprintValue`, or undefined for any other string. */
export function saltOf(fingerprint: string | null | undefined): Buffer | undefined {
  if (!fingerprint) return undefined;
  const [scheme, salt, digest] = fingerprint.split("$");
  if (scheme !== SCHEME || !salt || !digest) return undefined;
  const bytes = Buffer.from(salt, "base64url");
  return bytes.length === SALT_BYTES ? bytes : undefined;
}

/** Fingerprint of a plaintext value, with the given salt or a fresh random one. */
export async function fingerprintValue(
  value: string,
  salt: Buffer = randomBytes(SALT_BYTES),
): Promise<string> {
  const digest = await derive(value, salt);
  return `${SCHEME}$${salt.toString("base64url")}$${digest.toString("base64url")}`;
}

/**
 * Fingerprint of `value` that is equal to `previous` exactly when `previous` was made from the same
 * value; undefined when `previous` holds no reusable salt (the caller then plans an unknown).
 */
export async function refingerprint(
  value: string,
  previous: string | null | undefined,
): Promise<string | undefined> {
  const salt = saltOf(previous);
  return salt ? fingerprintValue(value, salt) : undefined;
}

/** Fingerprint of a value that arrives already sealed (`encrypted_value` + `key_id`). */
export function fingerprintSealed(encryptedValue: string, keyId: string): string {
  const digest = createHash("sha256").update(keyId).update("\0").update(encryptedValue).digest("base64url");
  return `${SEALED_SCHEME}$${digest}`;
}
