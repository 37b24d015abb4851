import { isStandardBase64 } from "./base64";
import { checkValueSize } from "./limits";

// crypto_box_SEALBYTES: the sender's ephemeral public key (32) and the MAC (16).
export const SEALED_BOX_OVERHEAD = 48;

/**
 * Problems with an already sealed value (`encrypted_value`, `SecretValue.encrypted`): standard
 * base64 of a libsodium sealed box, so at least its 48 bytes of overhead, and a plaintext within
 * GitHub's size limit. GitHub would refuse each of these only at apply, after other writes.
 */
export function checkSealedValue(ciphertext: string): string[] {
  if (!isStandardBase64(ciphertext)) {
    return [
      "the ciphertext is not base64: pass the sealed box exactly as GitHub's encryption examples print it " +
        "(base64 of crypto_box_seal output)",
    ];
  }
  const bytes = Buffer.from(ciphertext, "base64").byteLength;
  if (bytes < SEALED_BOX_OVERHEAD) {
    return [
      `the ciphertext is ${bytes} bytes, shorter than any sealed box (${SEALED_BOX_OVERHEAD} bytes of ` +
        `overhead): seal the value with the environment's public key`,
    ];
  }
  return checkValueSize(new Uint8Array(bytes - SEALED_BOX_OVERHEAD));
}

/** Problems with the id of the key a value was sealed with. */
export function checkKeyId(keyId: string): string[] {
  return keyId.trim() === ""
    ? ["keyId is empty: pass the key_id of the public key used to seal the value"]
    : [];
}

/**
 * An empty value is refused unless asked for: it is far more often a CI secret that was not set
 * (expanded to "") than a wanted value. `source` names where the value came from, e.g.
 * `environment variable DB_PASSWORD`; `optIn` names the switch that allows it.
 */
export function checkNotEmpty(value: string, source: string, optIn: string): string[] {
  return value === ""
    ? [
        `${source} is empty: set it to the secret's value (an unset CI secret often expands to ""), ` +
          `or set ${optIn} to write an empty secret on purpose`,
      ]
    : [];
}
