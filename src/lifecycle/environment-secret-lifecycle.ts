import { sealSecret } from "../crypto";
import {
  type CallOptions,
  type EnvironmentSecretsClient,
  GithubSecretsError,
  type SecretRef,
  ValidationFailedError,
} from "../github";
import {
  checkEnvironmentName,
  checkRepository,
  checkSecretCount,
  checkSecretName,
  checkValueSize,
  normalizeSecretName,
} from "../rules";
import type { SecretSource } from "./secret-source";
import { type PlannedDeclaration, PlanRegistry } from "./plan-registry";
import { WriteLedger } from "./write-ledger";

/** Outcome of a write. */
export interface WriteResult {
  readonly created: boolean;
  /**
   * What to record as the secret's last update: GitHub's clock when it acknowledged the PUT.
   * GitHub answers a PUT with no body, so this avoids one GET per write; a later listing
   * showing a newer `updated_at` means someone else changed the secret.
   */
  readonly updatedAt: string;
}

/** Outcome of a read. */
export type ReadResult =
  | { readonly status: "gone" }
  | { readonly status: "unchanged" | "changed"; readonly createdAt: string; readonly updatedAt: string };

/** Outcome of a delete. */
export type DeleteResult =
  | { readonly status: "deleted" | "alreadyGone" }
  /**
   * Not deleted, on purpose: `writtenHere` when another write of this process (the new address of
   * a renamed or replaced resource) put it there; `changedSince` when GitHub's `updated_at` is newer
   * than the write the deleting resource recorded (another process or someone else wrote it since).
   */
  | { readonly status: "writtenHere" }
  | { readonly status: "changedSince"; readonly updatedAt: string };

/** Options of a guarded delete: delete only what the deleting resource itself wrote. */
export interface DeleteOptions extends CallOptions {
  /**
   * Set by a caller that deletes on behalf of a resource (the provider): then the secret is kept
   * when this lifecycle wrote it (see WriteLedger) or when GitHub's `updated_at` is newer than
   * `recordedUpdatedAt`, the resource's own last write. Absent: an unconditional delete.
   */
  readonly onlyOwnWrite?: { readonly recordedUpdatedAt?: string };
}

/** Input problems found before any call; the message names the secret and says how to fix it. */
export class InvalidSecretError extends Error {
  constructor(
    readonly address: SecretRef,
    readonly problems: string[],
  ) {
    // A name holding a control character is shown escaped (JSON-style), never raw on a terminal.
    const shown = [address.repository, address.environment, address.secretName].map((part) =>
      /[\u0000-\u001f\u007f-\u009f]/.test(part)
        ? JSON.stringify(part).replace(
            /[\u007f-\u009f]/g,
            (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
          )
        : part,
    );
    super(`${shown.join(" / ")}: ${problems.join("; ")}`);
    this.name = "InvalidSecretError";
  }
}

/**
 * How much later than the recorded write a listed `updated_at` may be and still be that write.
 * GitHub stamps `updated_at` with the clock of the server that stored the secret and dates its
 * answer with the clock of the one that replied, both in whole seconds: a small skew between them
 * must not read as a change made elsewhere on every plan. The price: a change made by someone else
 * within 2 s of Terraform's own write goes unnoticed until the next one.
 */
const CLOCK_SKEW_ALLOWANCE_MS = 2000;

/** An environment found missing at its first check (a set no listing can produce: it is this object). */
const MISSING: ReadonlySet<string> = new Set();

function changedSince(remote: string, recorded: string | undefined): boolean {
  if (!recorded) return false;
  const [a, b] = [Date.parse(remote), Date.parse(recorded)];
  return !Number.isNaN(a) && !Number.isNaN(b) && a > b + CLOCK_SKEW_ALLOWANCE_MS;
}

/**
 * The environment-secret lifecycle of docs/ARCHITECTURE.md, free of Terraform and cdktf: create and update are
 * one idempotent upsert, read answers from the per-environment listing, delete treats "already gone"
 * as success.
 */
export class EnvironmentSecretLifecycle {
  private readonly ledger = new WriteLedger();
  private readonly planned = new PlanRegistry();
  /** Names each environment held when it was first checked in this process, by environment. */
  private readonly checkedEnvironments = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(private readonly client: EnvironmentSecretsClient) {}

  /** Checks the address against GitHub's rules; throws InvalidSecretError listing every problem. */
  static validateAddress(address: SecretRef): SecretRef {
    const problems = [
      ...checkRepository(address.repository),
      ...checkEnvironmentName(address.environment),
      ...checkSecretName(address.secretName),
    ];
    if (problems.length > 0) throw new InvalidSecretError(address, problems);
    return { ...address, secretName: normalizeSecretName(address.secretName) };
  }

  /** Create = upsert: a secret that already exists is overwritten. */
  create(address: SecretRef, source: SecretSource, options: CallOptions = {}): Promise<WriteResult> {
    return this.write(address, source, options);
  }

  /** Update in place: one PUT, never delete-then-create. */
  update(address: SecretRef, source: SecretSource, options: CallOptions = {}): Promise<WriteResult> {
    return this.write(address, source, options);
  }

  private async write(address: SecretRef, source: SecretSource, options: CallOptions): Promise<WriteResult> {
    const target = EnvironmentSecretLifecycle.validateAddress(address);
    return this.ledger.exclusive(target, async () => {
      const result = await this.writeNow(target, source, options);
      this.ledger.recordWrite(target);
      return result;
    });
  }

  private async writeNow(
    target: SecretRef,
    source: SecretSource,
    options: CallOptions,
  ): Promise<WriteResult> {
    if (source.kind === "sealed") {
      try {
        const result = await this.client.putSecret(target, source, options);
        return { created: result.created, updatedAt: result.answeredAt };
      } catch (error) {
        throw await this.staleKeyOr(error, target, source.keyId, options);
      }
    }
    const sizeProblems = checkValueSize(source.value);
    if (sizeProblems.length > 0) throw new InvalidSecretError(target, sizeProblems);

    const key = await this.client.getPublicKey(target, options);
    try {
      return await this.sealAndPut(target, source.value, key, options);
    } catch (error) {
      // GitHub rejects a value sealed for a key it has since rotated: fetch the key again, once.
      if (!(error instanceof ValidationFailedError)) throw error;
      const fresh = await this.client.getPublicKey(target, { ...options, refresh: true });
      if (fresh.keyId === key.keyId) throw error;
      return this.sealAndPut(target, source.value, fresh, options);
    }
  }

  /**
   * A value sealed by the user cannot be sealed again here: when GitHub refuses it and the
   * environment's key is no longer the one it was sealed for, say so and give the current key.
   */
  private async staleKeyOr(
    error: unknown,
    target: SecretRef,
    sealedFor: string,
    options: CallOptions,
  ): Promise<unknown> {
    if (!(error instanceof ValidationFailedError)) return error;
    const current = await this.client
      .getPublicKey(target, { ...options, refresh: true })
      .catch(() => undefined);
    if (!current || current.keyId === sealedFor) return error;
    return new GithubSecretsError(
      target,
      422,
      `the environment's key was rotated: seal the value again with key ${current.keyId} ` +
        `(public key ${current.key}); it was sealed for key ${sealedFor}`,
    );
  }

  private async sealAndPut(
    target: SecretRef,
    value: string,
    key: { keyId: string; key: string },
    options: CallOptions,
  ): Promise<WriteResult> {
    let encryptedValue: string;
    try {
      encryptedValue = await sealSecret(value, key.key);
    } catch (error) {
      throw new GithubSecretsError(target, 0, (error as Error).message);
    }
    const result = await this.client.putSecret(target, { encryptedValue, keyId: key.keyId }, options);
    return { created: result.created, updatedAt: result.answeredAt };
  }

  /**
   * Where the secret stands compared with what was recorded at the last write. Answers from the
   * environment's listing (one call per environment per process), not a GET per secret.
   */
  async read(address: SecretRef, recordedUpdatedAt?: string, options: CallOptions = {}): Promise<ReadResult> {
    const target = EnvironmentSecretLifecycle.validateAddress(address);
    const listing = await this.client.listSecrets(target, options);
    const found = listing?.get(target.secretName);
    if (!found) return { status: "gone" };
    return {
      status: changedSince(found.updatedAt, recordedUpdatedAt) ? "changed" : "unchanged",
      createdAt: found.createdAt,
      updatedAt: found.updatedAt,
    };
  }

  /**
   * Deletes the secret; "already gone" is success. With `onlyOwnWrite`, deletes only what the
   * caller's resource wrote (DeleteOptions). The check against GitHub reads the secret right
   * before the DELETE: a write by another process in between those two calls is the one window
   * GitHub's API (no conditional DELETE) leaves open, and so is a write within the 2 s clock
   * allowance of the recorded one. Writes of this process have no window: they are serialised.
   */
  async delete(address: SecretRef, options: DeleteOptions = {}): Promise<DeleteResult> {
    const target = EnvironmentSecretLifecycle.validateAddress(address);
    return this.ledger.exclusive(target, async () => {
      const guard = options.onlyOwnWrite;
      if (guard) {
        if (this.ledger.wasWritten(target)) return { status: "writtenHere" };
        const found = await this.client.getSecret(target, options);
        if (!found) return { status: "alreadyGone" };
        if (changedSince(found.updatedAt, guard.recordedUpdatedAt)) {
          return { status: "changedSince", updatedAt: found.updatedAt };
        }
      }
      const deleted = await this.client.deleteSecret(target, options);
      return { status: deleted ? "deleted" : "alreadyGone" };
    });
  }

  /**
   * What can be known before any write, for one resource's plan (a green plan means the apply can
   * succeed): the environment exists and these credentials can list it (one listing per environment
   * per process, shared with refresh; a missing repository or bad credentials throw), no other
   * resource declares the same secret, and the environment stays within GitHub's 100 secrets,
   * counting what exists and what is declared. Returns the problems, each saying how to fix it.
   */
  async checkPlanned(declaration: PlannedDeclaration, options: CallOptions = {}): Promise<string[]> {
    const target = EnvironmentSecretLifecycle.validateAddress(declaration.address);
    const existing = await this.existingNames(target, options);
    if (!existing) {
      return [
        `environment "${target.environment}" does not exist in ${target.repository}: create it in the ` +
          `repository's Settings > Environments, or correct the name`,
      ];
    }
    const earlier = this.planned.declare(declaration);
    if (earlier) {
      const spell = (a: SecretRef) => `${a.repository} / ${a.environment} / ${a.secretName}`;
      return [
        `secret ${target.secretName} of environment "${target.environment}" in ${target.repository} is declared ` +
          `twice: here as ${spell(declaration.address)} and by another resource as ${spell(earlier.address)} ` +
          `(GitHub compares repository, environment and secret names without letter case); both would write ` +
          `one secret, and removing either would delete it: keep one of them`,
      ];
    }
    const names = new Set([...existing, ...this.planned.declaredIn(target)]);
    return checkSecretCount(names.size, target.environment, target.repository).map(
      (problem) => `${problem} (counting the ${existing.size} that exist and those this configuration adds)`,
    );
  }

  /** The environment's secret names at its first check in this process; undefined when it does not exist. */
  private async existingNames(
    target: SecretRef,
    options: CallOptions,
  ): Promise<ReadonlySet<string> | undefined> {
    const key = JSON.stringify([target.repository.toLowerCase(), target.environment.toLowerCase()]);
    let names = this.checkedEnvironments.get(key);
    if (!names) {
      const found = this.client.listSecrets(target, options);
      names = found.then((listing) => (listing ? new Set(listing.keys()) : MISSING));
      this.checkedEnvironments.set(key, names);
      names.catch(() => this.checkedEnvironments.delete(key));
    }
    const result = await names;
    return result === MISSING ? undefined : result;
  }

  /** Looks up an existing secret for import; undefined when there is none to adopt. */
  async lookup(
    address: SecretRef,
    options: CallOptions = {},
  ): Promise<{ createdAt: string; updatedAt: string } | undefined> {
    const target = EnvironmentSecretLifecycle.validateAddress(address);
    const found = await this.client.getSecret(target, options);
    return found && { createdAt: found.createdAt, updatedAt: found.updatedAt };
  }
}
