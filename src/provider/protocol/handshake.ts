/**
 * go-plugin's start-up contract: Terraform sets a magic cookie and the protocol versions it
 * speaks in the environment; the plugin answers with one line on stdout.
 */
export const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
export const MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const CORE_PROTOCOL_VERSION = 1; // go-plugin's own handshake version
export const APP_PROTOCOL_VERSION = 6; // tfplugin6

/** The oldest Node.js the provider runs on; the launcher (src/mirror) checks the same. */
export const MIN_NODE_MAJOR = 20;

/** Why this Node.js is too old, or undefined. */
export function nodeVersionProblem(nodeVersion = process.versions.node): string | undefined {
  if (Number(nodeVersion.split(".")[0]) >= MIN_NODE_MAJOR) return undefined;
  return (
    `The ghsecrets Terraform provider needs Node.js ${MIN_NODE_MAJOR} or later; this is Node.js ${nodeVersion}. ` +
    "Install a newer Node.js, or point CDKTF_GITHUB_SECRETS_NODE at one."
  );
}

/** Why this process must not serve (a human sentence), or undefined when Terraform started it. */
export function startupRefusal(
  env: NodeJS.ProcessEnv,
  nodeVersion = process.versions.node,
): string | undefined {
  const tooOld = nodeVersionProblem(nodeVersion);
  if (tooOld) return tooOld;
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    return (
      "This is a Terraform provider plugin (ghsecrets). It is started by Terraform, not by hand: " +
      "run `terraform init` and `terraform plan` in a configuration that uses it."
    );
  }
  const offered = (env.PLUGIN_PROTOCOL_VERSIONS ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  if (offered.length > 0 && !offered.includes(String(APP_PROTOCOL_VERSION))) {
    return `This provider speaks plugin protocol ${APP_PROTOCOL_VERSION}, but Terraform offered ${offered.join(", ")}: use Terraform 1.11 or later.`;
  }
  return undefined;
}

/**
 * `1|6|unix|<path>|grpc|<cert>` or `1|6|tcp|127.0.0.1:<port>|grpc|<cert>`; the certificate is base64
 * DER without padding, as go-plugin expects.
 */
export function handshakeLine(network: "unix" | "tcp", address: string, certificateDer?: Buffer): string {
  const fields = [CORE_PROTOCOL_VERSION, APP_PROTOCOL_VERSION, network, address, "grpc"];
  if (certificateDer) fields.push(certificateDer.toString("base64").replace(/=+$/, ""));
  return fields.join("|");
}
