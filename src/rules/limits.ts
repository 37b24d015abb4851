import { MAX_SECRET_VALUE_BYTES, MAX_SECRETS_PER_ENVIRONMENT } from "./github-limits";

/** Problems with a value's size; empty when it fits. Never quotes the value. */
export function checkValueSize(value: string | Uint8Array): string[] {
  const bytes = typeof value === "string" ? Buffer.byteLength(value, "utf8") : value.byteLength;
  if (bytes > MAX_SECRET_VALUE_BYTES) {
    return [
      `secret value is ${bytes} bytes: GitHub allows at most ${MAX_SECRET_VALUE_BYTES} bytes (48 KB); ` +
        `store a larger file elsewhere and keep only a key to it in the secret`,
    ];
  }
  return [];
}

/** GitHub rejects variable values above 48 KB. Variables are not secret: the message may be shown. */
export function checkVariableValue(value: string): string[] {
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes > MAX_SECRET_VALUE_BYTES) {
    return [
      `variable value is ${bytes} bytes: GitHub allows at most ${MAX_SECRET_VALUE_BYTES} bytes (48 KB); ` +
        `keep large configuration in the repository instead`,
    ];
  }
  return [];
}

/** Problems with the number of secrets declared for one environment; empty when it fits. */
export function checkSecretCount(count: number, environment: string, repository: string): string[] {
  if (count > MAX_SECRETS_PER_ENVIRONMENT) {
    return [
      `${count} secrets are declared for environment "${environment}" of ${repository}: GitHub allows at most ` +
        `${MAX_SECRETS_PER_ENVIRONMENT} per environment; move some to another environment or to repository secrets`,
    ];
  }
  return [];
}
