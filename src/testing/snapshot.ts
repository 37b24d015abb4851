import sodium = require("libsodium-wrappers");
import { canonicalSecretName, environmentKey } from "./github-rules";
import type { Store } from "./store";

/**
 * The emulator's data as JSON, to keep it across runs (`npm start` run twice shows "No changes").
 * Like GitHub, it keeps each value sealed to its environment's key, but the private keys sit in the
 * same document: treat a snapshot as test data, never as a vault.
 */
export interface EmulatorSnapshot {
  readonly format: "cdktf-github-secrets-emulator/1";
  readonly repositories: ReadonlyArray<{
    readonly fullName: string;
    readonly environments: ReadonlyArray<{
      readonly name: string;
      readonly createdAt: number;
      readonly keyId: string;
      readonly publicKey: string;
      readonly privateKey: string;
      readonly secrets: ReadonlyArray<{
        readonly name: string;
        readonly createdAt: number;
        readonly updatedAt: number;
        readonly sealedValue: string;
      }>;
    }>;
  }>;
}

const FORMAT = "cdktf-github-secrets-emulator/1";
const b64 = (bytes: Uint8Array) => sodium.to_base64(bytes, sodium.base64_variants.ORIGINAL);
const bytes = (text: string) => sodium.from_base64(text, sodium.base64_variants.ORIGINAL);

export function takeSnapshot(store: Store): EmulatorSnapshot {
  return {
    format: FORMAT,
    repositories: store.allRepositories().map((repo) => ({
      fullName: repo.fullName,
      environments: [...repo.environments.values()].map((env) => ({
        name: env.name,
        createdAt: env.createdAt,
        keyId: env.key.keyId,
        publicKey: b64(env.key.publicKey),
        privateKey: b64(env.key.privateKey),
        secrets: [...env.secrets.values()].map((secret) => ({
          name: secret.name,
          createdAt: secret.createdAt,
          updatedAt: secret.updatedAt,
          sealedValue: b64(sodium.crypto_box_seal(secret.value, env.key.publicKey)),
        })),
      })),
    })),
  };
}

export function restoreSnapshot(store: Store, snapshot: EmulatorSnapshot): void {
  if (snapshot.format !== FORMAT)
    throw new Error(`not an emulator snapshot (format ${String(snapshot.format)}, expected ${FORMAT})`);
  for (const saved of snapshot.repositories) {
    const repo = store.addRepository(saved.fullName);
    for (const env of saved.environments) {
      const key = { keyId: env.keyId, publicKey: bytes(env.publicKey), privateKey: bytes(env.privateKey) };
      const secrets = new Map(
        env.secrets.map((s) => [
          canonicalSecretName(s.name),
          {
            name: s.name,
            createdAt: s.createdAt,
            updatedAt: s.updatedAt,
            value: sodium.crypto_box_seal_open(bytes(s.sealedValue), key.publicKey, key.privateKey),
          },
        ]),
      );
      const record = store.addEnvironment(repo, env.name);
      repo.environments.set(environmentKey(env.name), { ...record, createdAt: env.createdAt, key, secrets });
    }
  }
}
