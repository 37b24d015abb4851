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

describe("ghsecrets_environment_secret import", () => {
  test("adopts the secret with no value and no fingerprint (the next apply writes the declared value)", async () => {
    const { state } = await environmentSecretResource.importState(
      { id: "acme/api:prod/eu:DB_PASSWORD", provider },
      ctx,
    );
    expect(state).toMatchObject({
      id: "acme/api:prod/eu:DB_PASSWORD",
      repository: "acme/api",
      environment: "prod/eu",
      secret_name: "DB_PASSWORD",
      value: null,
      value_fingerprint: null,
    });
    expect(JSON.stringify(state)).not.toContain("imported-value-canary");
  });

  test("an id that does not parse, a refused name and a missing secret are each explained", async () => {
    expect(await importFailure(environmentSecretResource, "acme/api")).toEqual([
      expect.objectContaining({
        summary: "Invalid import id",
        detail: expect.stringContaining("SECRET_NAME"),
      }),
    ]);
    const [refused] = await importFailure(environmentSecretResource, "acme/api:prod/eu:GITHUB_X");
    expect(refused).toMatchObject({ summary: expect.stringMatching(/GITHUB_/), attribute: undefined });
    expect(await importFailure(environmentSecretResource, "acme/api:prod/eu:NOPE")).toEqual([
      expect.objectContaining({
        summary: "Cannot import a secret that does not exist",
        detail: 'acme/api, environment "prod/eu" has no secret NOPE.',
      }),
    ]);
  });
});

describe("ghsecrets_environment_variable import", () => {
  test("adopts the variable with GitHub's value", async () => {
    const { state } = await environmentVariableResource.importState(
      { id: "acme/api:prod/eu:REGION", provider },
      ctx,
    );
    expect(state).toMatchObject({
      id: "acme/api:prod/eu:REGION",
      environment: "prod/eu",
      variable_name: "REGION",
      value: "eu-west-1",
    });
  });

  test("an id that does not parse, a refused name and a missing variable are each explained", async () => {
    const [invalid] = await importFailure(environmentVariableResource, "acme/api");
    expect(invalid.summary).toBe("Invalid import id");
    expect(invalid.detail).toContain("VARIABLE_NAME");
    expect(invalid.detail).not.toMatch(/SECRET_NAME|DB_PASSWORD/);
    const [refused] = await importFailure(environmentVariableResource, "acme/api:prod/eu:1X");
    expect(refused).toMatchObject({ summary: expect.stringMatching(/digit/), attribute: undefined });
    expect(await importFailure(environmentVariableResource, "acme/api:prod/eu:NOPE")).toEqual([
      expect.objectContaining({
        summary: "Cannot import a variable that does not exist",
        detail: 'acme/api, environment "prod/eu" has no variable NOPE.',
      }),
    ]);
  });
});
