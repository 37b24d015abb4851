/**
 * The logging surface every layer below the provider writes to. The provider hands in one that
 * emits Terraform's hclog JSON lines; library users can pass `console`-like objects.
 * Fields must never hold a secret value or a credential.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
