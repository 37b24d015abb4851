/**
 * importState of both resources, in-process against the emulator: what an import id adopts, and the
 * diagnostics for an id that does not parse, an address the rules refuse and an object that is not there.
 */
import { createLogger } from "../src/provider/framework/logger";
import { DiagnosticError, type ResourceContext } from "../src/provider/framework";
import { configureProvider, type ProviderData } from "../src/provider/provider-config";
import { environmentSecretResource } from "../src/provider/resources/environment-secret";
import { environmentVariableResource } from "../src/provider/resources/environment-variable";
import { GithubEmulator } from "../src/testing";

const ctx: ResourceContext = {
  logger: createLogger({ level: "off" }),
  signal: new AbortController().signal,
  clientCapabilities: { writeOnlyAttributesAllowed: true },
};

let emulator: GithubEmulator;
let provider: ProviderData;
beforeAll(async () => {
  emulator = await GithubEmulator.start({ repositories: { "acme/api": ["prod/eu"] } });
  emulator.setSecretOutOfBand("acme/api", "prod/eu", "DB_PASSWORD", "imported-value-canary");
  emulator.setVariableOutOfBand("acme/api", "prod/eu", "REGION", "eu-west-1");
  const result = await configureProvider({ token: emulator.token, base_url: emulator.url }, ctx, {});
  if (!result.data) throw new Error(`configure failed: ${JSON.stringify(result.diagnostics)}`);
  provider = result.data;
});
afterAll(() => emulator.stop());

/** The diagnostics an import fails with (fails the test when it succeeds). */
async function importFailure(
  resource: typeof environmentSecretResource,
  id: string,
): Promise<Array<{ summary: string; detail?: string; attribute?: unknown }>> {
  try {
    await resource.importState({ id, provider }, ctx);
  } catch (error) {
    if (error instanceof DiagnosticError) return error.diagnostics;
    throw error;
  }
  throw new Error(`import of "${id}" succeeded`);
}

const resources = [
  {
    resource: environmentSecretResource,
    what: "secret",
    existing: "DB_PASSWORD",
    idPlaceholder: "SECRET_NAME",
    // No value and no fingerprint: the next apply writes the declared value.
    adopted: { secret_name: "DB_PASSWORD", value: null, value_fingerprint: null },
  },
  {
    resource: environmentVariableResource,
    what: "variable",
    existing: "REGION",
    idPlaceholder: "VARIABLE_NAME",
    // Variables are not secret: GitHub's value is adopted as is.
    adopted: { variable_name: "REGION", value: "eu-west-1" },
  },
];

describe.each(resources)(
  "$resource.typeName import",
  ({ resource, what, existing, idPlaceholder, adopted }) => {
    test(`adopts the ${what} GitHub holds`, async () => {
      const id = `acme/api:prod/eu:${existing}`;
      const { state } = await resource.importState({ id, provider }, ctx);
      expect(state).toMatchObject({ id, repository: "acme/api", environment: "prod/eu", ...adopted });
      expect(JSON.stringify(state)).not.toContain("imported-value-canary");
    });

    test(`an id that does not parse, a refused name and a missing ${what} are each explained`, async () => {
      const [invalid] = await importFailure(resource, "acme/api");
      expect(invalid.summary).toBe("Invalid import id");
      expect(invalid.detail).toContain(idPlaceholder);
      if (what === "variable") expect(invalid.detail).not.toMatch(/SECRET_NAME|DB_PASSWORD/);
      for (const [name, problem] of [
        ["GITHUB_X", /GITHUB_/],
        ["1X", /digit/],
      ] as const) {
        const [refused] = await importFailure(resource, `acme/api:prod/eu:${name}`);
        expect(refused).toMatchObject({ summary: expect.stringMatching(problem), attribute: undefined });
      }
      expect(await importFailure(resource, "acme/api:prod/eu:NOPE")).toEqual([
        expect.objectContaining({
          summary: `Cannot import a ${what} that does not exist`,
          detail: `acme/api, environment "prod/eu" has no ${what} NOPE.`,
        }),
      ]);
    });
  },
);
