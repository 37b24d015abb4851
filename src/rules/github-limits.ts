/**
 * GitHub's published limits for Actions environment secrets: the one definition, used by the
 * rules below, exported by both entry points (`cdktf-github-secrets` and `.../testing`) and enforced
 * by the emulator. Plain numbers, so sharing them does not share any validation logic with the
 * emulator; its tests pin the figures as literals so a wrong number here still fails there.
 */

/** GitHub rejects secret values above 48 KB, measured on the UTF-8 bytes of the plaintext. */
export const MAX_SECRET_VALUE_BYTES = 48 * 1024;

/** GitHub allows at most 100 secrets in one environment. */
export const MAX_SECRETS_PER_ENVIRONMENT = 100;

/** GitHub allows environment names of at most 255 characters. */
export const MAX_ENVIRONMENT_NAME_LENGTH = 255;
