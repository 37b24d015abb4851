/**
 * Fingerprint modes below Terraform: the keyed (HMAC) mode, the scheme-change detection the plan's
 * warning rests on, and scrypt derivations running one per core at most.
 */
import { createHash, createHmac } from "node:crypto";
import {
  createFingerprinter,
  DERIVATION_SLOTS,
  FingerprintKeyError,
  keyedFingerprinter,
  parseFingerprint,
  scryptFingerprinter,
} from "../src/crypto";
import { inDerivationSlot } from "../src/crypto/derivation-slots";

const KEY = "k".repeat(32) + "-fingerprint-key";
const OTHER_KEY = "o".repeat(32) + "-fingerprint-key";

describe("keyed fingerprints", () => {
  const keyed = keyedFingerprinter(KEY);

  test("stable for the same value and salt, different for another value", async () => {
    const first = await keyed.fingerprint("correct horse");
    expect(first).toMatch(/^hmac1\$[A-Za-z0-9_-]{8}\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await keyed.refingerprint("correct horse", first)).toBe(first);
    expect(await keyed.refingerprint("correct horse!", first)).not.toBe(first);
  });

  test("salted: two secrets holding one value do not show the same fingerprint", async () => {
    expect(await keyed.fingerprint("same")).not.toBe(await keyed.fingerprint("same"));
  });

  test("holds no unkeyed hash of the value: a guess cannot be tested without the key", async () => {
    const fingerprint = await keyed.fingerprint("password");
    const salt = parseFingerprint(fingerprint)!.salt;
    for (const digest of [
      createHash("sha256").update("password").digest("base64url"),
      createHash("sha256").update(salt).update("password").digest("base64url"),
      createHmac("sha256", "").update(salt).update("password").digest("base64url"),
    ]) {
      expect(fingerprint).not.toContain(digest);
    }
    expect(fingerprint).toContain(
      createHmac("sha256", KEY).update(salt).update("password").digest("base64url"),
    );
  });

  test("another key gives another fingerprint for the same value and salt", async () => {
    const first = await keyed.fingerprint("value");
    const other = keyedFingerprinter(OTHER_KEY);
    expect(await other.refingerprint("value", first)).not.toBe(first);
  });

  test("microseconds, not an scrypt derivation: 1,000 fingerprints well under a second", async () => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) await keyed.fingerprint(`value-${i}`);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });

  test("a key shorter than 32 bytes is refused, saying how to make one", () => {
    expect(() => keyedFingerprinter("short")).toThrow(FingerprintKeyError);
    expect(() => keyedFingerprinter("short")).toThrow(/5 bytes long.*at least 32.*openssl rand -base64 32/);
  });
});

describe("scheme changes (what the plan's warning says)", () => {
  test("scrypt -> keyed is 'key added', keyed -> scrypt 'key removed', another key 'key changed'", async () => {
    const scrypt = await scryptFingerprinter.fingerprint("v");
    const keyed = await keyedFingerprinter(KEY).fingerprint("v");
    expect(keyedFingerprinter(KEY).schemeChange(scrypt)).toBe("key added");
    expect(scryptFingerprinter.schemeChange(keyed)).toBe("key removed");
    expect(keyedFingerprinter(OTHER_KEY).schemeChange(keyed)).toBe("key changed");
  });

  test("same mode and key, or something that is no fingerprint: no scheme change", async () => {
    const keyed = await keyedFingerprinter(KEY).fingerprint("v");
    expect(keyedFingerprinter(KEY).schemeChange(keyed)).toBeUndefined();
    expect(scryptFingerprinter.schemeChange(await scryptFingerprinter.fingerprint("v"))).toBeUndefined();
    for (const other of [null, undefined, "", "changed outside Terraform", "sealed1$abc", "hmac1$$x$y"]) {
      expect(keyedFingerprinter(KEY).schemeChange(other)).toBeUndefined();
    }
  });

  test("the salt carries over a mode change, so the new fingerprint is known at plan", async () => {
    const scrypt = await scryptFingerprinter.fingerprint("v");
    const keyed = await keyedFingerprinter(KEY).refingerprint("v", scrypt);
    expect(parseFingerprint(keyed)!.salt).toEqual(parseFingerprint(scrypt)!.salt);
  });

  test("createFingerprinter: scrypt without a key, keyed with one", () => {
    expect(createFingerprinter().mode).toBe("scrypt");
    expect(createFingerprinter(KEY).mode).toBe("keyed");
  });
});

describe("scrypt derivations in parallel", () => {
  test("one slot per core, never more at once", async () => {
    let running = 0;
    let peak = 0;
    const work = () =>
      inDerivationSlot(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
      });
    await Promise.all(Array.from({ length: DERIVATION_SLOTS * 3 }, work));
    expect(peak).toBe(DERIVATION_SLOTS);
  });

  test("many derivations at once all finish, each equal to the same derivation run alone", async () => {
    const first = await scryptFingerprinter.fingerprint("v");
    const again = await Promise.all(
      Array.from({ length: 6 }, () => scryptFingerprinter.refingerprint("v", first)),
    );
    expect(new Set(again)).toEqual(new Set([first]));
  });
});
