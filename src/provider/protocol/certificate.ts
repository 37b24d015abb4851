import { generateKeyPairSync, randomBytes, sign } from "node:crypto";

/**
 * A fresh self-signed certificate for go-plugin's mutual TLS, made per process start.
 *
 * Node can sign but cannot build certificates. A dependency (node-forge, @peculiar/x509) would
 * add start-up cost to every one of the 3-5 provider launches per Terraform command, and the
 * certificate needed is fixed and tiny, so it is written here with a minimal DER encoder:
 * ECDSA P-256 / SHA-256, CN and SAN DNS "localhost", CA:TRUE, key usage digitalSignature +
 * keyCertSign, extended key usage serverAuth + clientAuth (what go-plugin's own AutoMTLS makes).
 */
export interface SelfSignedCertificate {
  /** DER bytes: the handshake line carries them as unpadded base64. */
  der: Buffer;
  certPem: string;
  keyPem: string;
}

// --- minimal DER encoding --------------------------------------------------------------------

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.of(0x80 | bytes.length, ...bytes);
}

function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.of(tag), length(body.length), body]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, ...items);
const set = (...items: Buffer[]) => tlv(0x31, ...items);
const explicit = (n: number, item: Buffer) => tlv(0xa0 + n, item);
const octetString = (bytes: Buffer) => tlv(0x04, bytes);
const bitString = (bytes: Buffer, unusedBits = 0) => tlv(0x03, Buffer.of(unusedBits), bytes);
const booleanTrue = () => tlv(0x01, Buffer.of(0xff));
const utf8String = (text: string) => tlv(0x0c, Buffer.from(text, "utf8"));

function unsignedInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  // A leading 1 bit would make it negative: prefix a zero byte.
  return tlv(0x02, trimmed[0] & 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed);
}

function oid(dotted: string): Buffer {
  const arcs = dotted.split(".").map(Number);
  const bytes = [arcs[0] * 40 + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, "") + "Z"; // YYYYMMDDHHMMSSZ
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(digits.slice(2)))
    : tlv(0x18, Buffer.from(digits));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(oid(id), booleanTrue(), octetString(value))
    : sequence(oid(id), octetString(value));
}

// --- the certificate -------------------------------------------------------------------------

const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
const COMMON_NAME = "2.5.4.3";
const HOST = "localhost";

export function createSelfSignedCertificate(now = new Date()): SelfSignedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const name = sequence(set(sequence(oid(COMMON_NAME), utf8String(HOST))));
  const signatureAlgorithm = sequence(oid(ECDSA_WITH_SHA256));
  // Backdated a little against clock skew; the certificate only has to outlive the process.
  const notBefore = new Date(now.getTime() - 5 * 60_000);
  const notAfter = new Date(now.getTime() + 365 * 24 * 3600_000);
  const serial = randomBytes(16);
  serial[0] &= 0x7f;

  const extensions = sequence(
    // basicConstraints: CA:TRUE (go-plugin trusts this very certificate as the root)
    extension("2.5.29.19", true, sequence(booleanTrue())),
    // keyUsage: digitalSignature (bit 0) + keyCertSign (bit 5) -> 1000 0100, 2 unused bits
    extension("2.5.29.15", true, bitString(Buffer.of(0x84), 2)),
    // extKeyUsage: serverAuth, clientAuth
    extension("2.5.29.37", false, sequence(oid("1.3.6.1.5.5.7.3.1"), oid("1.3.6.1.5.5.7.3.2"))),
    // subjectAltName: dNSName [2] "localhost"
    extension("2.5.29.17", false, sequence(tlv(0x82, Buffer.from(HOST, "ascii")))),
  );

  const tbs = sequence(
    explicit(0, tlv(0x02, Buffer.of(2))), // version v3
    unsignedInteger(serial),
    signatureAlgorithm,
    name, // issuer = subject: self-signed
    sequence(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    explicit(3, extensions),
  );
  const signature = sign("sha256", tbs, privateKey); // DER-encoded ECDSA-Sig-Value
  const der = sequence(tbs, signatureAlgorithm, bitString(signature));

  return {
    der,
    certPem: toPem("CERTIFICATE", der),
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }) as string,
  };
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
