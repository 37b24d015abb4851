import {
  checkEnvironmentName,
  checkRepository,
  checkSecretName,
  checkValueSize,
  type DeleteResult,
  fingerprintSealed,
  type Fingerprinter,
  formatImportId,
  normalizeSecretName,
  saltOf,
  type SecretAddress,
} from "../../lifecycle";
import {
  attributesForcingReplacement,
  type Attributes,
  type Diagnostic,
  DiagnosticError,
  type ObjectValue,
  type ResourceContext,
  type ResourceDefinition,
  UNKNOWN,
  type Value,
} from "../framework";
import type { ProviderData } from "../provider-config";
import { namedObjectAttributes, timestampsAfterWrite } from "./environment-address";
import { checkAttributes, explainFailure } from "./resource-diagnostics";
import { fingerprintModeChanged } from "./fingerprint-mode";
import { lookUpImport } from "./import-lookup";
import { checkUnchangedSincePlan, recordPlanTimeValue, refingerprintOnce } from "./plan-time-value";
import { checkEmptyValue, checkPlannedSecret, checkSealedConfig } from "./secret-plan-checks";
import { checkValueSourceShape, type ResolvedSource, resolveValueSource } from "./value-source";

/**
 * `ghsecrets_environment_secret`: one GitHub Actions environment secret.
 *
 * Drift: GitHub never returns values, so a change made outside Terraform is seen through
 * `updated_at`. Read then replaces the fingerprint with DRIFT_MARKER, which no value can
 * reproduce, so the plan shows an in-place update that writes the declared value back.
 */
export const DRIFT_MARKER = "changed outside Terraform";

const attributes: Attributes = {
  ...namedObjectAttributes("secret"),
  value: {
    type: "string",
    optional: true,
    sensitive: true,
    writeOnly: true,
    description:
      "The value, write-only (Terraform >= 1.11): never stored in plan or state. Feed it from an ephemeral or sensitive variable.",
  },
  value_env: {
    type: "string",
    optional: true,
    description: "Name of an environment variable the provider reads the value from, at plan and at apply.",
  },
  value_json_key: {
    type: "string",
    optional: true,
    description:
      "With value_env: the variable holds a JSON object of strings and the value is this member of it (one variable for many secrets).",
  },
  encrypted_value: {
    type: "string",
    optional: true,
    description:
      "A value already sealed (libsodium sealed box, base64) with the environment public key `key_id`.",
  },
  key_id: {
    type: "string",
    optional: true,
    description: "Id of the environment public key `encrypted_value` was sealed with.",
  },
  allow_empty: {
    type: "bool",
    optional: true,
    description:
      "Write an empty value instead of refusing it at plan. Default false: an empty value is far more often a CI secret that was not set than a wanted one.",
  },
  value_fingerprint: {
    type: "string",
    computed: true,
    description:
      "Changes when the value changes: a salted scrypt digest that does not make the value cheap to guess, or an HMAC under the key named by the provider's fingerprint_key_env.",
  },
  created_at: {
    type: "string",
    computed: true,
    description: "When the secret was created, as GitHub reports it.",
  },
  updated_at: {
    type: "string",
    computed: true,
    description: "When the secret was last written, by GitHub's clock.",
  },
};

const ADDRESS_ATTRIBUTES = ["repository", "environment", "secret_name"] as const;

function addressOf(state: ObjectValue): SecretAddress {
  return {
    repository: String(state.repository),
    environment: String(state.environment),
    secretName: String(state.secret_name),
  };
}

function str(value: Value | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Address problems, pointing at the attribute to fix; unknown values are checked later. */
function checkAddress(config: ObjectValue): Diagnostic[] {
  return checkAttributes(config, [
    ["repository", checkRepository],
    ["environment", checkEnvironmentName],
    ["secret_name", checkSecretName],
  ]);
}

function sourceOrThrow(config: ObjectValue, env: NodeJS.ProcessEnv): ResolvedSource {
  const source = resolveValueSource(config, env);
  if ("severity" in source) throw new DiagnosticError(source);
  const empty = checkEmptyValue(source, config);
  if (empty.length > 0) throw new DiagnosticError(empty);
  if (source.kind === "plaintext") {
    const sizeProblems = checkValueSize(source.value);
    if (sizeProblems.length > 0) {
      throw new DiagnosticError(
        sizeProblems.map((summary) => ({
          severity: "error",
          summary,
          attribute: config.value_env ? "value_env" : "value",
        })),
      );
    }
  }
  return source;
}

/** The fingerprint a plan can promise, or UNKNOWN when only apply can tell (new salt, unknown value). */
async function plannedFingerprint(
  source: ResolvedSource,
  prior: ObjectValue | null,
  fingerprints: Fingerprinter,
): Promise<Value> {
  switch (source.kind) {
    case "unknown":
      return UNKNOWN;
    case "sealed":
      return fingerprintSealed(source.encryptedValue, source.keyId);
    case "plaintext":
      return prior
        ? ((await refingerprintOnce(fingerprints, source.value, str(prior.value_fingerprint))) ?? UNKNOWN)
        : UNKNOWN;
  }
}

/** Errors from below become diagnostics naming the secret; their messages hold no value or token. */
function explain(error: unknown, address: SecretAddress, action: string): never {
  const where = `${address.repository}, environment "${address.environment}", secret ${address.secretName}`;
  return explainFailure(error, where, "secret", action);
}

/** Logs a delete's outcome; a secret kept because someone else wrote it since is worth a warning. */
function reportDelete(outcome: DeleteResult, address: SecretAddress, ctx: ResourceContext): Diagnostic[] {
  switch (outcome.status) {
    case "deleted":
      ctx.logger.info("deleted secret", { ...address });
      return [];
    case "alreadyGone":
      ctx.logger.info("secret was already gone", { ...address });
      return [];
    case "writtenHere":
      ctx.logger.info("kept secret: another resource of this apply wrote it (a rename or move)", {
        ...address,
      });
      return [];
    case "changedSince":
      return [
        {
          severity: "warning",
          summary: "Secret kept: it was written again after this resource last wrote it",
          detail:
            `${address.repository}, environment "${address.environment}", secret ${address.secretName} was updated at ` +
            `${outcome.updatedAt}, after this resource's last write, by another resource (a renamed or moved one, ` +
            `perhaps in another stack) or outside Terraform. It was left in place and removed from this resource's ` +
            `state; delete it in GitHub if nothing declares it.`,
        },
      ];
  }
}

export const environmentSecretResource: ResourceDefinition<ProviderData> = {
  typeName: "ghsecrets_environment_secret",
  version: 0,
  description:
    "A GitHub Actions environment secret, encrypted with the environment's public key and never stored in plain text.",
  attributes,

  validate(config) {
    const shape = checkValueSourceShape(config);
    // A sealed value's own problems only matter once it is the one source.
    return [...checkAddress(config), ...shape, ...(shape.length > 0 ? [] : checkSealedConfig(config))];
  },

  async plan({ prior, proposed, config, provider, priorPrivate }, ctx) {
    if (!proposed || !config) return { planned: null };
    const addressProblems = [...checkAddress(config), ...checkSealedConfig(config)];
    if (addressProblems.length > 0) throw new DiagnosticError(addressProblems);

    const source = sourceOrThrow(config, provider.env);
    const addressKnown = ADDRESS_ATTRIBUTES.every((name) => typeof proposed[name] === "string");
    if (addressKnown) {
      const address = addressOf(proposed);
      try {
        await checkPlannedSecret(provider.lifecycle, address, config, prior !== null, ctx.signal);
      } catch (error) {
        explain(error, address, "plan");
      }
    }
    const replacing = prior !== null && attributesForcingReplacement(attributes, prior, proposed).length > 0;
    const base = replacing ? null : prior;
    const fingerprint = await plannedFingerprint(source, base, provider.fingerprints);
    const unchanged = base !== null && fingerprint === base.value_fingerprint;
    const plannedPrivate = checkUnchangedSincePlan(priorPrivate, config, fingerprint);

    return {
      diagnostics: unchanged ? [] : fingerprintModeChanged(provider.fingerprints, base?.value_fingerprint),
      plannedPrivate,
      planned: {
        ...proposed,
        id: addressKnown ? formatImportId(addressOf(proposed)) : UNKNOWN,
        value_fingerprint: fingerprint,
        created_at: base ? base.created_at : UNKNOWN,
        updated_at: unchanged ? base.updated_at : UNKNOWN,
      },
    };
  },

  async apply({ prior, planned, config, provider }, ctx: ResourceContext) {
    if (!planned) {
      if (!prior) return { newState: null };
      const address = addressOf(prior);
      let outcome;
      try {
        // Only what this resource wrote: after a rename or move, the new address has written
        // the same GitHub secret, in this apply or in another one since.
        outcome = await provider.lifecycle.delete(address, {
          signal: ctx.signal,
          onlyOwnWrite: { recordedUpdatedAt: str(prior.updated_at) },
        });
      } catch (error) {
        explain(error, address, "delete");
      }
      return { newState: null, diagnostics: reportDelete(outcome, address, ctx) };
    }
    if (!config) throw new DiagnosticError({ severity: "error", summary: "No configuration to apply" });
    // The plan kept updated_at only if the value is unchanged: then what changed is not on GitHub
    // (the letter case of secret_name, or the same value from another source). Nothing to write.
    if (prior && typeof planned.updated_at === "string") return { newState: planned };

    const address = addressOf(planned);
    const source = sourceOrThrow(config, provider.env);
    if (source.kind === "unknown") {
      throw new DiagnosticError({
        severity: "error",
        summary: "The secret's value is still unknown at apply time",
      });
    }
    const isCreate = prior === null || planned.created_at === UNKNOWN;
    let written;
    try {
      written = isCreate
        ? await provider.lifecycle.create(address, source, { signal: ctx.signal })
        : await provider.lifecycle.update(address, source, { signal: ctx.signal });
    } catch (error) {
      explain(error, address, isCreate ? "create" : "update");
    }
    ctx.logger.info(written.created ? "created secret" : "updated secret", { ...address });

    // Keep the salt of the previous fingerprint so an unchanged value keeps its fingerprint.
    const fingerprint =
      typeof planned.value_fingerprint === "string"
        ? planned.value_fingerprint
        : source.kind === "sealed"
          ? fingerprintSealed(source.encryptedValue, source.keyId)
          : await provider.fingerprints.fingerprint(
              source.value,
              isCreate ? undefined : saltOf(str(prior?.value_fingerprint)),
            );

    return {
      newState: {
        ...planned,
        id: formatImportId(address),
        value_fingerprint: fingerprint,
        ...timestampsAfterWrite(planned, written.updatedAt),
      },
    };
  },

  async read({ state, provider }, ctx) {
    const address = addressOf(state);
    let result;
    try {
      result = await provider.lifecycle.read(address, str(state.updated_at), { signal: ctx.signal });
    } catch (error) {
      explain(error, address, "read");
    }
    if (result.status === "gone") {
      ctx.logger.info("secret is gone; it will be planned for creation", { ...address });
      // Terraform alone would show a plain create: say that the secret existed and was removed.
      return {
        newState: null,
        diagnostics: [
          {
            severity: "warning",
            summary: `Secret ${normalizeSecretName(address.secretName)} was deleted outside Terraform`,
            detail:
              `${address.repository}, environment "${address.environment}" no longer has the secret ` +
              `${normalizeSecretName(address.secretName)} (or the environment itself is gone), although this ` +
              `resource wrote it. If it is still declared, this plan creates it again with the declared value.`,
          },
        ],
      };
    }
    if (result.status === "changed") {
      ctx.logger.info("secret was changed outside Terraform", { ...address, updated_at: result.updatedAt });
      return {
        newState: {
          ...state,
          value_fingerprint: DRIFT_MARKER,
          created_at: result.createdAt,
          updated_at: result.updatedAt,
        },
      };
    }
    return {
      newState: { ...state, created_at: result.createdAt },
      private: (await recordPlanTimeValue(state, provider.env, provider.fingerprints)) ?? new Uint8Array(0),
    };
  },

  async importState({ id, provider }, ctx) {
    const { address, found } = await lookUpImport(id, {
      what: "secret",
      nameAttribute: "secret_name",
      addressOf,
      checkAddress,
      lookup: (at: SecretAddress) => provider.lifecycle.lookup(at, { signal: ctx.signal }),
      explain,
    });
    // The value is unknown until the next apply writes the declared one: no fingerprint yet.
    return {
      state: {
        id: formatImportId(address),
        repository: address.repository,
        environment: address.environment,
        secret_name: address.secretName,
        value: null,
        value_env: null,
        value_json_key: null,
        encrypted_value: null,
        key_id: null,
        value_fingerprint: null,
        created_at: found.createdAt,
        updated_at: found.updatedAt,
      },
    };
  },
};
