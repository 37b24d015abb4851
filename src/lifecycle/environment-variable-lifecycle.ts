import type { CallOptions, EnvironmentVariablesClient, VariableMetadata, VariableRef } from "../github";
import {
  checkEnvironmentName,
  checkRepository,
  checkVariableName,
  checkVariableValue,
  normalizeSecretName,
} from "../rules";

/** Input problems found before any call; the message names the variable and says how to fix it. */
export class InvalidVariableError extends Error {
  constructor(
    readonly address: VariableRef,
    readonly problems: string[],
  ) {
    super(`${address.repository} / ${address.environment} / ${address.variableName}: ${problems.join("; ")}`);
    this.name = "InvalidVariableError";
  }
}

/**
 * The environment-variable lifecycle: create and update are one idempotent upsert (GitHub's POST and
 * PATCH, each falling back to the other), read answers from the per-environment listing (one call per
 * environment per process) and, variables not being secret, compares values, delete treats "already
 * gone" as success.
 */
export class EnvironmentVariableLifecycle {
  constructor(private readonly client: EnvironmentVariablesClient) {}

  /** Checks the address against GitHub's rules; throws InvalidVariableError listing every problem. */
  static validateAddress(address: VariableRef): VariableRef {
    const problems = [
      ...checkRepository(address.repository),
      ...checkEnvironmentName(address.environment),
      ...checkVariableName(address.variableName),
    ];
    if (problems.length > 0) throw new InvalidVariableError(address, problems);
    return { ...address, variableName: normalizeSecretName(address.variableName) };
  }

  /** Writes the value; `exists` says which of POST / PATCH to try first. */
  async write(
    address: VariableRef,
    value: string,
    options: CallOptions & { exists?: boolean } = {},
  ): Promise<{ created: boolean; answeredAt: string }> {
    const target = EnvironmentVariableLifecycle.validateAddress(address);
    const problems = checkVariableValue(value);
    if (problems.length > 0) throw new InvalidVariableError(target, problems);
    return this.client.putVariable(target, value, options);
  }

  /** The variable as GitHub has it now; undefined when it (or its environment) is gone. */
  async read(address: VariableRef, options: CallOptions = {}): Promise<VariableMetadata | undefined> {
    const target = EnvironmentVariableLifecycle.validateAddress(address);
    const listing = await this.client.listVariables(target, options);
    return listing?.get(target.variableName);
  }

  /** Deletes the variable; "already gone" is success. */
  async delete(address: VariableRef, options: CallOptions = {}): Promise<{ readonly alreadyGone: boolean }> {
    const target = EnvironmentVariableLifecycle.validateAddress(address);
    return { alreadyGone: !(await this.client.deleteVariable(target, options)) };
  }

  /** Looks up an existing variable for import (a direct GET). */
  async lookup(address: VariableRef, options: CallOptions = {}): Promise<VariableMetadata | undefined> {
    return this.client.getVariable(EnvironmentVariableLifecycle.validateAddress(address), options);
  }
}
