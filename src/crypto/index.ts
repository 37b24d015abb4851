export { sealSecret, decodePublicKey, InvalidPublicKeyError } from "./sealed-box";
export {
  type Fingerprinter,
  type SchemeChange,
  fingerprintValue,
  refingerprint,
  fingerprintSealed,
  parseFingerprint,
  saltOf,
  scryptFingerprinter,
} from "./fingerprint";
export {
  createFingerprinter,
  FingerprintKeyError,
  keyedFingerprinter,
  MIN_KEY_BYTES,
} from "./keyed-fingerprint";
export { DERIVATION_SLOTS } from "./derivation-slots";
export { loadSodium } from "./sodium";
