import type { ProviderDefinition } from "./framework";
import {
  configureProvider,
  type ProviderData,
  providerAttributes,
  validateProviderConfig,
} from "./provider-config";
import { environmentSecretResource } from "./resources/environment-secret";
import { environmentSecretSetResource } from "./resources/environment-secret-set";
import { environmentVariableResource } from "./resources/environment-variable";

/** The `ghsecrets` provider: configuration and the resources it serves. */
export const ghsecretsProvider: ProviderDefinition<ProviderData> = {
  typeName: "ghsecrets",
  attributes: providerAttributes,
  validate: validateProviderConfig,
  configure: (config, ctx) => configureProvider(config, ctx),
  resources: [environmentSecretResource, environmentSecretSetResource, environmentVariableResource],
};
