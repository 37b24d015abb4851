import { secretIdentityKey, type SecretIdentityParts } from "../rules";

/**
 * What this process has written, per GitHub secret, and one queue per secret.
 *
 * Why: when a resource's address changes (a rename or a move in cdktf, a `create_before_destroy`
 * replacement), Terraform deletes the old address and creates the new one in parallel, and both
 * name the same GitHub secret. Sent side by side, the DELETE can land after the PUT and remove
 * the secret the new address just wrote, after which the apply still reports success.
 * Serialising the operations on one secret and refusing to delete what this process wrote makes
 * the outcome the same in every order: delete-then-write leaves the new value, write-then-delete
 * skips the delete. One Terraform command uses one provider process per provider configuration,
 * so this covers every address change within one apply.
 */
export class WriteLedger {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly written = new Set<string>();

  /** Runs `work` after every earlier operation on the same secret has settled. */
  async exclusive<T>(address: SecretIdentityParts, work: () => Promise<T>): Promise<T> {
    const key = secretIdentityKey(address);
    const before = this.tails.get(key) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await run;
    } finally {
      // The last one out leaves no entry behind.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  recordWrite(address: SecretIdentityParts): void {
    this.written.add(secretIdentityKey(address));
  }

  /** Whether a write to this secret (in any spelling) succeeded in this process. */
  wasWritten(address: SecretIdentityParts): boolean {
    return this.written.has(secretIdentityKey(address));
  }
}
