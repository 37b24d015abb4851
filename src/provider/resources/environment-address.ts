import { normalizeSecretName, sameIgnoringCase } from "../../lifecycle";
import type { Attributes, ObjectValue } from "../framework";

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

/**
 * `id`, the environment address and the name of an object GitHub keys by environment and name (a
 * secret, a variable). Names are case-insensitive on GitHub: `db` to `DB` is the same object, updated
 * in place. A replacement would create DB, then delete db, which is DB again (with
 * create_before_destroy).
 */
export function namedObjectAttributes(what: "secret" | "variable"): Attributes {
  const title = `${what[0].toUpperCase()}${what.slice(1)}`;
  return {
    id: {
      type: "string",
      computed: true,
      description: `\`owner/repo:environment:${what.toUpperCase()}_NAME\`, also the import id.`,
    },
    ...environmentAddressAttributes,
    [`${what}_name`]: {
      type: "string",
      required: true,
      requiresReplace: (prior, planned) =>
        normalizeSecretName(String(prior)) !== normalizeSecretName(String(planned)),
      description: `${title} name: letters, digits and '_', not starting with a digit or GITHUB_. GitHub stores it upper case.`,
    },
  };
}

/**
 * The timestamps a write leaves in state. GitHub answers a write with no timestamps: the time of the
 * write (its Date header) stands for updated_at, and for created_at on a create (a refresh then reads
 * GitHub's own), which saves a listing per write.
 */
export function timestampsAfterWrite(planned: ObjectValue, writtenAt: string): ObjectValue {
  return {
    created_at: typeof planned.created_at === "string" ? planned.created_at : writtenAt,
    updated_at: writtenAt,
  };
}
