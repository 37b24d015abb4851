import {
  checkEnvironmentName,
  checkRepository,
  checkVariableName,
  checkVariableValue,
  formatImportId,
  type VariableRef,
} from "../../lifecycle";
import {
  attributesForcingReplacement,
  type Attributes,
  type Diagnostic,
  DiagnosticError,
  type ObjectValue,
  type ResourceDefinition,
  UNKNOWN,
} from "../framework";
import type { ProviderData } from "../provider-config";
import { namedObjectAttributes, timestampsAfterWrite } from "./environment-address";
import { lookUpImport } from "./import-lookup";
import { checkAttributes, explainFailure } from "./resource-diagnostics";

/**
 * `ghsecrets_environment_variable`: one GitHub Actions environment variable. Variables are plain
 * configuration, not secrets: the value is an ordinary attribute, shown in plans and kept in state,
 * and drift is seen by comparing it with what GitHub lists (a refresh stores GitHub's value, so the
 * plan shows `~ value = "theirs" -> "ours"`).
 */
const attributes: Attributes = {
  ...namedObjectAttributes("variable"),
  value: {
    type: "string",
    required: true,
    description:
      "The value, in plain text (variables are not secret: it shows in plans and state). At most 48 KB.",
  },
  created_at: {
    type: "string",
    computed: true,
    description: "When the variable was created, as GitHub reports it.",
  },
  updated_at: {
    type: "string",
    computed: true,
    description: "When the variable was last written, as GitHub reports it.",
  },
};

function addressOf(state: ObjectValue): VariableRef {
  return {
    repository: String(state.repository),
    environment: String(state.environment),
    variableName: String(state.variable_name),
  };
}

function idOf(address: VariableRef): string {
  return formatImportId({ ...address, secretName: address.variableName });
}

function checkConfig(config: ObjectValue): Diagnostic[] {
  return checkAttributes(config, [
    ["repository", checkRepository],
    ["environment", checkEnvironmentName],
    ["variable_name", checkVariableName],
    ["value", checkVariableValue],
  ]);
}

function explain(error: unknown, address: VariableRef, action: string): never {
  const where = `${address.repository}, environment "${address.environment}", variable ${address.variableName}`;
  return explainFailure(error, where, "variable", action);
}

export const environmentVariableResource: ResourceDefinition<ProviderData> = {
  typeName: "ghsecrets_environment_variable",
  version: 0,
  description: "A GitHub Actions environment variable: plain configuration beside the environment's secrets.",
  attributes,

  validate(config) {
    return checkConfig(config);
  },

  async plan({ prior, proposed, config }) {
    if (!proposed || !config) return { planned: null };
    const problems = checkConfig(config);
    if (problems.length > 0) throw new DiagnosticError(problems);
    const replacing = prior !== null && attributesForcingReplacement(attributes, prior, proposed).length > 0;
    const base = replacing ? null : prior;
    const known = ["repository", "environment", "variable_name"].every(
      (n) => typeof proposed[n] === "string",
    );
    const unchanged = base !== null && base.value === proposed.value;
    return {
      planned: {
        ...proposed,
        id: known ? idOf(addressOf(proposed)) : UNKNOWN,
        created_at: base ? base.created_at : UNKNOWN,
        updated_at: unchanged ? base.updated_at : UNKNOWN,
      },
    };
  },

  async apply({ prior, planned, provider }, ctx) {
    if (!planned) {
      if (!prior) return { newState: null };
      const address = addressOf(prior);
      try {
        const { alreadyGone } = await provider.variables.delete(address, { signal: ctx.signal });
        ctx.logger.info(alreadyGone ? "variable was already gone" : "deleted variable", { ...address });
      } catch (error) {
        explain(error, address, "delete");
      }
      return { newState: null };
    }
    // Only the letter case of a name changed: the same variable, nothing to write.
    if (prior && typeof planned.updated_at === "string") return { newState: planned };
    const address = addressOf(planned);
    const value = typeof planned.value === "string" ? planned.value : "";
    const exists = prior !== null && typeof planned.created_at === "string";
    let written: { created: boolean; answeredAt: string };
    try {
      written = await provider.variables.write(address, value, { signal: ctx.signal, exists });
    } catch (error) {
      explain(error, address, exists ? "update" : "create");
    }
    ctx.logger.info(written.created ? "created variable" : "updated variable", { ...address });
    return {
      newState: { ...planned, id: idOf(address), ...timestampsAfterWrite(planned, written.answeredAt) },
    };
  },

  async read({ state, provider }, ctx) {
    const address = addressOf(state);
    let found;
    try {
      found = await provider.variables.read(address, { signal: ctx.signal });
    } catch (error) {
      explain(error, address, "read");
    }
    if (!found) {
      ctx.logger.info("variable is gone; it will be planned for creation", { ...address });
      return { newState: null };
    }
    // GitHub's value: a change made elsewhere becomes a plan diff that writes the declared one back.
    return {
      newState: { ...state, value: found.value, created_at: found.createdAt, updated_at: found.updatedAt },
    };
  },

  async importState({ id, provider }, ctx) {
    const { address, found } = await lookUpImport(id, {
      what: "variable",
      nameAttribute: "variable_name",
      addressOf,
      checkAddress: checkConfig,
      lookup: (at: VariableRef) => provider.variables.lookup(at, { signal: ctx.signal }),
      explain,
      describeIdError: (message) =>
        message.replace("SECRET_NAME", "VARIABLE_NAME").replace("DB_PASSWORD", "REGION"),
    });
    return {
      state: {
        id: idOf(address),
        repository: address.repository,
        environment: address.environment,
        variable_name: address.variableName,
        value: found.value,
        created_at: found.createdAt,
        updated_at: found.updatedAt,
      },
    };
  },
};
