/** A POSIX-portable environment variable name: letters, digits and `_`, not starting with a digit. */
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether `name` can name an environment variable that the provider reads a value from. */
export function isEnvVarName(name: string): boolean {
  return ENV_VAR_NAME.test(name);
}
