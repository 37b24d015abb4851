import {
  checkEnvironmentName,
  checkRepository,
  checkSecretName,
  formatEnvironmentId,
  normalizeSecretName,
  parseEnvironmentId,
  type EnvironmentAddress,
} from "../../rules";
import {
  type Attributes,
  type Diagnostic,
  DiagnosticError,
  type ObjectValue,
  UNKNOWN,
  type ResourceDefinition,
  type Value,
} from "../framework";
import type { ProviderData } from "../provider-config";
import { environmentAddressAttributes } from "./environment-address";
import { checkAttributes, explainFailure } from "./resource-diagnostics";

/**
 * `ghsecrets_environment_secret_set`: the stack owns the environment's whole secret set (`exclusive`).
 *
 * It holds no values. `declared_secrets` is every name the configuration declares for the environment
 * (all stacks of the app: the constructs fill it in); `secret_names` is what GitHub lists. Read
 * refreshes `secret_names` from one listing (the one the secrets' own reads use). Plan keeps only the
 * declared names, so a name listed on GitHub but not declared shows as a removed element:
 *
 *     ~ secret_names = [
 *         - "LEFTOVER",
 *           # (2 unchanged elements hidden)
 *       ]
 *
 * and apply deletes exactly those names (never one in `declared_secrets`), then records the plan.
 * A secret created later outside Terraform is in the next refresh, hence in the next plan.
 *
 * Plan shape for tools reading `terraform show -json` (the plan report): for a resource_change of this
 * type with action "update", `change.before.secret_names` minus `change.after.secret_names` are the
 * secrets this apply deletes ("delete: not declared"). Creation deletes nothing: `secret_names` is
 * planned unknown and set from a listing; the constructs import the set instead (id
 * `owner/repo:environment`), so the first plan already shows the deletions. Destroying this resource
 * deletes nothing either: it only ends the ownership (the declared secrets have their own resources).
 */
const attributes: Attributes = {
  id: { type: "string", computed: true, description: "`owner/repo:environment`, also the import id." },
  ...environmentAddressAttributes,
  declared_secrets: {
    type: "list(string)",
    required: true,
    description:
      "Every secret name the configuration declares for this environment (letter case ignored); these are never deleted. Any other secret of the environment is planned for deletion.",
  },
  secret_names: {
    type: "list(string)",
    computed: true,
    description:
      "The secrets GitHub lists for the environment (upper case, sorted); a plan that removes names from it deletes those secrets.",
  },
};

function addressOf(state: ObjectValue): EnvironmentAddress {
  return { repository: String(state.repository), environment: String(state.environment) };
}

function names(value: Value | undefined): readonly string[] | undefined {
  return Array.isArray(value) ? (value as readonly string[]) : undefined;
}

function checkConfig(config: ObjectValue): Diagnostic[] {
  const problems = checkAttributes(config, [
    ["repository", checkRepository],
    ["environment", checkEnvironmentName],
  ]);
  for (const name of names(config.declared_secrets) ?? []) {
    problems.push(
      ...checkSecretName(name).map((summary): Diagnostic => ({
        severity: "error",
        summary,
        attribute: "declared_secrets",
      })),
    );
  }
  return problems;
}

/** Errors from below become diagnostics naming the environment; their messages hold no value or token. */
function explain(error: unknown, address: EnvironmentAddress, action: string): never {
  const where = `${address.repository}, environment "${address.environment}"`;
  return explainFailure(error, where, "environment's secrets", action);
}

function environmentGone(address: EnvironmentAddress): DiagnosticError {
  return new DiagnosticError({
    severity: "error",
    summary: "The environment does not exist",
    detail: `${address.repository} has no environment "${address.environment}": create it in the repository settings first.`,
  });
}

/** The environment's secret names, from the shared listing; a missing environment is an error. */
async function listOrFail(
  provider: ProviderData,
  address: EnvironmentAddress,
  signal: AbortSignal,
  action: string,
): Promise<string[]> {
  let existing: string[] | undefined;
  try {
    existing = await provider.secretSets.names(address, { signal });
  } catch (error) {
    explain(error, address, action);
  }
  if (existing === undefined) throw environmentGone(address);
  return existing;
}

export const environmentSecretSetResource: ResourceDefinition<ProviderData> = {
  typeName: "ghsecrets_environment_secret_set",
  version: 0,
  description:
    "The whole secret set of one environment: secrets not declared in `declared_secrets` are planned for deletion.",
  attributes,

  validate(config) {
    return checkConfig(config);
  },

  async plan({ prior, proposed, config, provider }, ctx) {
    if (!proposed || !config) return { planned: null };
    const problems = checkConfig(config);
    if (problems.length > 0) throw new DiagnosticError(problems);
    const declared = names(config.declared_secrets);
    if (declared === undefined) {
      // Deleting "everything else" needs to know what "else" is before anyone approves the plan.
      throw new DiagnosticError({
        severity: "error",
        summary: "declared_secrets must be known at plan time",
        detail:
          "The names decide which secrets are deleted; they cannot depend on values known only after apply.",
        attribute: "declared_secrets",
      });
    }
    const addressKnown = typeof proposed.repository === "string" && typeof proposed.environment === "string";
    const id = addressKnown ? formatEnvironmentId(addressOf(proposed)) : UNKNOWN;
    const current = prior === null ? undefined : names(prior.secret_names);
    if (current === undefined) {
      if (addressKnown) {
        const address = addressOf(proposed);
        const existing = await listOrFail(provider, address, ctx.signal, "list");
        const keep = new Set(declared.map(normalizeSecretName));
        const undeclared = existing.filter((name) => !keep.has(name));
        if (undeclared.length > 0) {
          return {
            planned: { ...proposed, id, secret_names: UNKNOWN },
            diagnostics: [
              {
                severity: "warning",
                summary: `${undeclared.length} secret(s) not declared are left in place by this apply`,
                detail:
                  `${address.repository}, environment "${address.environment}": ${undeclared.join(", ")}. ` +
                  `Creating the set deletes nothing; the next plan shows them as deletions. To see them in ` +
                  `this plan, import the set instead: an import block with id "${formatEnvironmentId(address)}".`,
              },
            ],
          };
        }
      }
      return { planned: { ...proposed, id, secret_names: UNKNOWN } };
    }
    const keep = new Set(declared.map(normalizeSecretName));
    return { planned: { ...proposed, id, secret_names: current.filter((name) => keep.has(name)) } };
  },

  async apply({ prior, planned, config, provider }, ctx) {
    if (!planned) return { newState: null }; // ends the ownership; the secrets stay
    if (!config) throw new DiagnosticError({ severity: "error", summary: "No configuration to apply" });
    const address = addressOf(planned);
    const declared = names(config.declared_secrets) ?? [];
    const before = prior === null ? undefined : names(prior.secret_names);
    const after = names(planned.secret_names);
    if (before === undefined || after === undefined) {
      const existing = await listOrFail(provider, address, ctx.signal, "list");
      return { newState: { ...planned, id: formatEnvironmentId(address), secret_names: existing } };
    }
    // Exactly what the plan showed: names it removed, and never a declared one.
    const kept = new Set(after);
    const removed = before.filter((name) => !kept.has(name));
    try {
      const deleted = await provider.secretSets.deleteUndeclared(address, removed, declared, {
        signal: ctx.signal,
      });
      for (const name of deleted)
        ctx.logger.info("deleted undeclared secret", { ...address, secret_name: name });
    } catch (error) {
      explain(error, address, "delete undeclared");
    }
    return { newState: planned };
  },

  async read({ state, provider }, ctx) {
    const address = addressOf(state);
    let existing: string[] | undefined;
    try {
      existing = await provider.secretSets.names(address, { signal: ctx.signal });
    } catch (error) {
      explain(error, address, "list");
    }
    if (existing === undefined) {
      ctx.logger.info("environment is gone; the set will be planned for creation", { ...address });
      return { newState: null };
    }
    return { newState: { ...state, secret_names: existing } };
  },

  async importState({ id, provider }, ctx) {
    let address: EnvironmentAddress;
    try {
      address = parseEnvironmentId(id);
    } catch (error) {
      throw new DiagnosticError({
        severity: "error",
        summary: "Invalid import id",
        detail: (error as Error).message,
      });
    }
    const problems = checkConfig({ repository: address.repository, environment: address.environment });
    if (problems.length > 0) throw new DiagnosticError(problems.map((p) => ({ ...p, attribute: undefined })));
    const existing = await listOrFail(provider, address, ctx.signal, "import");
    return {
      state: {
        id: formatEnvironmentId(address),
        repository: address.repository,
        environment: address.environment,
        declared_secrets: null,
        secret_names: existing,
      },
    };
  },
};
