import { normalizeSecretName, type SecretAddress, secretIdentityKey } from "../rules";

/** One resource's plan, as the registry compares them. */
export interface PlannedDeclaration {
  readonly address: SecretAddress;
  /**
   * Tells two declarations apart when their addresses agree: a digest of the resource's whole
   * configuration, kept in memory only.
   */
  readonly signature: string;
  /** Whether the resource already exists in the state (Terraform sent a prior state). */
  readonly exists: boolean;
}

/**
 * Every secret the plans of this process declare, so that a check can see the whole configuration:
 * the same secret declared twice, and how many secrets an environment would hold.
 *
 * A replacement is planned twice by Terraform for one resource, first with its prior state and then
 * without: the same configuration arriving once with and once without a prior state is that one
 * resource, not a duplicate.
 */
export class PlanRegistry {
  private readonly bySecret = new Map<string, PlannedDeclaration>();
  private readonly byEnvironment = new Map<string, Set<string>>();

  /** Records a declaration; returns the earlier one when another resource declares the same secret. */
  declare(declaration: PlannedDeclaration): PlannedDeclaration | undefined {
    const key = secretIdentityKey(declaration.address);
    const earlier = this.bySecret.get(key);
    if (earlier) {
      const replanned = earlier.signature === declaration.signature && earlier.exists !== declaration.exists;
      return replanned ? undefined : earlier;
    }
    this.bySecret.set(key, declaration);
    const environment = PlanRegistry.environmentKey(declaration.address);
    let names = this.byEnvironment.get(environment);
    if (!names) this.byEnvironment.set(environment, (names = new Set()));
    names.add(normalizeSecretName(declaration.address.secretName));
    return undefined;
  }

  /** Upper-case names of the secrets declared so far in the address's environment. */
  declaredIn(address: SecretAddress): ReadonlySet<string> {
    return this.byEnvironment.get(PlanRegistry.environmentKey(address)) ?? new Set();
  }

  private static environmentKey(address: SecretAddress): string {
    return JSON.stringify([address.repository.toLowerCase(), address.environment.toLowerCase()]);
  }
}
