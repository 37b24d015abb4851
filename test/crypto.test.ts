import {
  decodePublicKey,
  fingerprintSealed,
  fingerprintValue,
  loadSodium,
  refingerprint,
  saltOf,
  sealSecret,
} from "../src/crypto";

describe("sealed box", () => {
  test("a sealed value opens with the matching private key", async () => {
    const sodium = await loadSodium();
    const pair = sodium.crypto_box_keypair();
    const sealed = await sealSecret("hunter2 ünï", Buffer.from(pair.publicKey).toString("base64"));
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const opened = sodium.crypto_box_seal_open(
      Buffer.from(sealed, "base64"),
      pair.publicKey,
      pair.privateKey,
    );
    expect(new TextDecoder().decode(opened)).toBe("hunter2 ünï");
  });
  test("two seals of one value differ (ephemeral sender key)", async () => {
    const sodium = await loadSodium();
    const key = Buffer.from(sodium.crypto_box_keypair().publicKey).toString("base64");
    expect(await sealSecret("same", key)).not.toBe(await sealSecret("same", key));
  });
  test("keys that are not 32 bytes of standard base64 are refused clearly", () => {
    expect(() => decodePublicKey("not base64!")).toThrow(/not standard base64/);
    expect(() => decodePublicKey(Buffer.alloc(31).toString("base64"))).toThrow(/31 bytes, expected 32/);
    expect(decodePublicKey(Buffer.alloc(32, 7).toString("base64"))).toHaveLength(32);
  });
});

describe("fingerprints", () => {
  test("stable for a value and salt, different for another value", async () => {
    const first = await fingerprintValue("correct horse");
    expect(await refingerprint("correct horse", first)).toBe(first);
    expect(await refingerprint("correct horse!", first)).not.toBe(first);
  });
  test("random salt: the same value gives different fingerprints for different secrets", async () => {
    expect(await fingerprintValue("same")).not.toBe(await fingerprintValue("same"));
  });
  test("not a bare hash: the fingerprint does not contain the value's SHA-256", async () => {
    const { createHash } = await import("node:crypto");
    const fingerprint = await fingerprintValue("password");
    for (const encoding of ["hex", "base64", "base64url"] as const) {
      expect(fingerprint).not.toContain(createHash("sha256").update("password").digest(encoding));
    }
    expect(fingerprint).toMatch(/^scrypt1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  });
  test("anything without a salt gives no reusable fingerprint", async () => {
    expect(saltOf(null)).toBeUndefined();
    expect(saltOf("changed outside Terraform")).toBeUndefined();
    expect(await refingerprint("x", "sealed1$abc")).toBeUndefined();
  });
  test("sealed fingerprints change with the ciphertext or the key id", () => {
    expect(fingerprintSealed("abc", "1")).toBe(fingerprintSealed("abc", "1"));
    expect(fingerprintSealed("abc", "1")).not.toBe(fingerprintSealed("abd", "1"));
    expect(fingerprintSealed("abc", "1")).not.toBe(fingerprintSealed("abc", "2"));
  });
});
