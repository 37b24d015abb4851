/** Where the value of a secret comes from at write time. */
export type SecretSource =
  /** Plaintext the lifecycle seals with the environment key just before the PUT. */
  | { readonly kind: "plaintext"; readonly value: string }
  /** Already sealed by the user for a given key; sent as is. */
  | { readonly kind: "sealed"; readonly encryptedValue: string; readonly keyId: string };
