import type { CallOptions, EnvironmentRef, EnvironmentSecretsClient } from "../github";
import { checkEnvironmentName, checkRepository, normalizeSecretName } from "../rules";
import { InvalidSecretError } from "./environment-secret-lifecycle";

/**
 * The secret set of one environment, as an exclusive owner sees it: which names exist, and deleting
 * the ones the configuration does not declare. Never touches a declared name, whatever the caller asks.
 */
export class EnvironmentSecretSetLifecycle {
  constructor(private readonly client: EnvironmentSecretsClient) {}

  private static validate(ref: EnvironmentRef): EnvironmentRef {
    const problems = [...checkRepository(ref.repository), ...checkEnvironmentName(ref.environment)];
    if (problems.length > 0) throw new InvalidSecretError({ ...ref, secretName: "*" }, problems);
    return ref;
  }

  /**
   * The upper-case names of every secret of the environment, sorted; undefined when the environment
   * does not exist. Answers from the client's per-process listing, shared with the secrets' reads.
   */
  async names(ref: EnvironmentRef, options: CallOptions = {}): Promise<string[] | undefined> {
    const listing = await this.client.listSecrets(EnvironmentSecretSetLifecycle.validate(ref), options);
    return listing && [...listing.keys()].sort();
  }

  /**
   * Deletes each of `names` that is not in `declared` (compared without letter case), one at a time
   * (GitHub asks for writes to be spaced). "Already gone" counts as done. Returns the names deleted.
   */
  async deleteUndeclared(
    ref: EnvironmentRef,
    names: readonly string[],
    declared: readonly string[],
    options: CallOptions = {},
  ): Promise<string[]> {
    const target = EnvironmentSecretSetLifecycle.validate(ref);
    const keep = new Set(declared.map(normalizeSecretName));
    const deleted: string[] = [];
    for (const name of names.map(normalizeSecretName)) {
      if (keep.has(name)) continue;
      await this.client.deleteSecret({ ...target, secretName: name }, options);
      deleted.push(name);
    }
    return deleted;
  }
}
