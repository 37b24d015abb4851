import { randomInt } from "node:crypto";
// `import = require` keeps the live module object: libsodium-wrappers attaches its functions only
// after `ready` resolves, so a namespace import's snapshot copy would miss them.
import sodium = require("libsodium-wrappers");

/** An environment's sealed-box key pair, with the id GitHub hands out alongside the public key. */
export interface EnvironmentKey {
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

/** Resolves once libsodium can be used; every other function here needs it. */
export async function sodiumReady(): Promise<void> {
  await sodium.ready;
}

/** A fresh X25519 key pair with a new numeric-looking key id (GitHub's ids are 18-19 digits). */
export function newEnvironmentKey(previousKeyId?: string): EnvironmentKey {
  const pair = sodium.crypto_box_keypair();
  let keyId: string;
  do {
    keyId =
      String(randomInt(100_000_000, 1_000_000_000)) + String(randomInt(0, 1_000_000_000)).padStart(9, "0");
  } while (keyId === previousKeyId);
  return { keyId, publicKey: pair.publicKey, privateKey: pair.privateKey };
}

/** The public key as GitHub returns it: standard base64 with padding. */
export function publicKeyBase64(key: EnvironmentKey): string {
  return sodium.to_base64(key.publicKey, sodium.base64_variants.ORIGINAL);
}

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Opens a base64 sealed box with the key, or returns undefined if it cannot be opened.
 * Only standard padded base64 is accepted, so a client using another alphabet is caught here.
 */
export function openSealedValue(encryptedBase64: string, key: EnvironmentKey): Uint8Array | undefined {
  if (encryptedBase64.length === 0 || !STANDARD_BASE64.test(encryptedBase64)) return undefined;
  try {
    const sealed = sodium.from_base64(encryptedBase64, sodium.base64_variants.ORIGINAL);
    return sodium.crypto_box_seal_open(sealed, key.publicKey, key.privateKey);
  } catch {
    return undefined;
  }
}
