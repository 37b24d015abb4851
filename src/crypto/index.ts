export { sealSecret, decodePublicKey, InvalidPublicKeyError } from "./sealed-box";
export { fingerprintValue, refingerprint, fingerprintSealed, saltOf } from "./fingerprint";
export { loadSodium } from "./sodium";
