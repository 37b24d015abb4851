import { isStandardBase64 } from "../rules";
import { loadSodium } from "./sodium";

/** The public key GitHub hands out is a 32-byte X25519 key in standard base64. */
const PUBLIC_KEY_BYTES = 32;

export class InvalidPublicKeyError extends Error {
  constructor(reason: string) {
    super(`the environment public key is not usable: ${reason}`);
    this.name = "InvalidPublicKeyError";
  }
}

/** Decodes and checks a base64 public key; the error says what is wrong with it. */
export function decodePublicKey(publicKeyBase64: string): Uint8Array {
  if (!isStandardBase64(publicKeyBase64)) {
    throw new InvalidPublicKeyError("it is not standard base64 text");
  }
  const bytes = Buffer.from(publicKeyBase64, "base64");
  if (bytes.length !== PUBLIC_KEY_BYTES) {
    throw new InvalidPublicKeyError(`it decodes to ${bytes.length} bytes, expected ${PUBLIC_KEY_BYTES}`);
  }
  return new Uint8Array(bytes);
}

/**
 * Encrypts a value for GitHub with an anonymous sealed box (`crypto_box_seal`): only the holder of
 * the environment's private key (GitHub) can open it. Returns standard base64, as the API expects.
 */
export async function sealSecret(plaintext: string | Uint8Array, publicKeyBase64: string): Promise<string> {
  const key = decodePublicKey(publicKeyBase64);
  const sodium = await loadSodium();
  const message = typeof plaintext === "string" ? new TextEncoder().encode(plaintext) : plaintext;
  const sealed = sodium.crypto_box_seal(message, key);
  return Buffer.from(sealed).toString("base64");
}
