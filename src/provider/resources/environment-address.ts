import { sameIgnoringCase } from "../../rules";
import type { Attributes } from "../framework";

/**
 * `repository` and `environment`, the address every resource of this provider starts with. Moving an
 * object to another environment is a replacement: GitHub has no move.
 */
export const environmentAddressAttributes: Attributes = {
  repository: {
    type: "string",
    required: true,
    // GitHub compares repository and environment names without letter case: a change of case only
    // is the same object, updated in place (a replacement would delete what it just created).
    requiresReplace: (prior, planned) => !sameIgnoringCase(String(prior), String(planned)),
    description: "Repository as `owner/name`.",
  },
  environment: {
    type: "string",
    required: true,
    requiresReplace: (prior, planned) => !sameIgnoringCase(String(prior), String(planned)),
    description: "Name of the repository's environment; '/', spaces and non-ASCII are fine.",
  },
};
