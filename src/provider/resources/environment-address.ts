import type { Attributes } from "../framework";

/**
 * `repository` and `environment`, the address every resource of this provider starts with. Moving an
 * object to another environment is a replacement: GitHub has no move.
 */
export const environmentAddressAttributes: Attributes = {
  repository: {
    type: "string",
    required: true,
    requiresReplace: true,
    description: "Repository as `owner/name`.",
  },
  environment: {
    type: "string",
    required: true,
    requiresReplace: true,
    description: "Name of the repository's environment; '/', spaces and non-ASCII are fine.",
  },
};
