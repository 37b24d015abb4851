/** The self-signed certificate the provider serves mutual TLS with. */
import { X509Certificate } from "node:crypto";
import { createSelfSignedCertificate } from "../src/provider/protocol/certificate";

describe("certificate", () => {
  test("self-signed ECDSA P-256 CA for localhost with server and client auth", () => {
    const { der, certPem, keyPem } = createSelfSignedCertificate();
    const cert = new X509Certificate(der);
    expect(cert.subject).toBe("CN=localhost");
    expect(cert.subjectAltName).toBe("DNS:localhost");
    expect(cert.ca).toBe(true);
    expect(cert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]); // Node reports the EKU here
    expect(cert.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: "prime256v1" });
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkHost("localhost")).toBe("localhost");
    expect(certPem).toContain("BEGIN CERTIFICATE");
    expect(keyPem).toContain("BEGIN PRIVATE KEY");
  });
});
