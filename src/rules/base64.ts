/** Standard base64 (RFC 4648 section 4) with padding, the encoding GitHub uses for keys and ciphertexts. */
const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Whether `text` is standard, padded base64 (no URL-safe alphabet, no whitespace). */
export function isStandardBase64(text: string): boolean {
  return STANDARD_BASE64.test(text);
}
