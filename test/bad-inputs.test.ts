/**
 * The bad-input suite: every way a user can get a secret or the provider wrong, in a construct or
 * in HCL, must be refused with a message that says what is wrong, where (the construct path, or
 * the attribute Terraform points at), and how to fix it — and nothing may have been written.
 * The summary reporter (scripts/jest-summary-reporter.js) prints
 * "bad inputs rejected clearly: N/N" from this file's results.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { App, TerraformStack, TerraformVariable } from "cdktf";
import { EnvironmentSecret, GithubSecretsProvider, SecretValue } from "../src";
import { createLogger } from "../src/provider/framework/logger";
import { ProviderService } from "../src/provider/framework/provider-service";
import { ghsecretsProvider } from "../src/provider/ghsecrets-provider";
import type { Message } from "../src/provider/protocol/messages";
import { encodeDynamicValue, type ObjectType } from "../src/provider/protocol/values";
import { GithubEmulator } from "../src/testing";
import { TMP_ROOT } from "./helpers/terraform";

jest.setTimeout(60_000);

// ---- constructs ---------------------------------------------------------------------------------

mkdirSync(TMP_ROOT, { recursive: true });
const outRoot = mkdtempSync(join(TMP_ROOT, "bad-inputs-"));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

type Props = Partial<ConstructorParameters<typeof EnvironmentSecret>[2]>;
const secret = (stack: TerraformStack, id: string, props: Props = {}) =>
  new EnvironmentSecret(stack, id, {
    repository: "acme/api",
    environment: "production",
    secretName: "DB_PASSWORD",
    value: SecretValue.fromEnv("DB_PASSWORD"),
    ...props,
  });

interface ConstructCase {
  /** Builds the bad stack in `stack` (the construct whose path the message must name is returned). */
  build: (stack: TerraformStack) => void;
  where: string;
  what: RegExp;
  fix: RegExp;
}

const constructCases: Record<string, ConstructCase> = {
  "repository without owner": {
    build: (s) => secret(s, "db", { repository: "acme" }),
    where: "stack/db",
    what: /repository "acme" is not of the form owner\/name/,
    fix: /write it like "acme\/api"/,
  },
  "repository owner with a leading hyphen": {
    build: (s) => secret(s, "db", { repository: "-acme/api" }),
    where: "stack/db",
    what: /repository owner "-acme" is not a valid/,
    fix: /letters, digits and single hyphens/,
  },
  "repository name with '!'": {
    build: (s) => secret(s, "db", { repository: "acme/api!" }),
    where: "stack/db",
    what: /repository name "api!" is not a valid/,
    fix: /letters, digits, '\.', '_' and '-'/,
  },
  "blank environment": {
    build: (s) => secret(s, "db", { environment: " " }),
    where: "stack/db",
    what: /environment name is empty/,
    fix: /give the name of a GitHub environment/,
  },
  "environment of 256 characters": {
    build: (s) => secret(s, "db", { environment: "e".repeat(256) }),
    where: "stack/db",
    what: /256 characters long: GitHub allows at most 255/,
    fix: /shorten it/,
  },
  "environment '..' (a path trick)": {
    build: (s) => secret(s, "db", { environment: ".." }),
    where: "stack/db",
    what: /would address the repository instead of an environment/,
    fix: /rename the environment/,
  },
  "environment with a newline": {
    build: (s) => secret(s, "db", { environment: "production\n" }),
    where: "stack/db",
    what: /control character U\+000A/,
    fix: /remove it/,
  },
  "secret name starting with a digit": {
    build: (s) => secret(s, "db", { secretName: "1PASSWORD" }),
    where: "stack/db",
    what: /starts with a digit/,
    fix: /start it with a letter or '_'/,
  },
  "secret name with a hyphen": {
    build: (s) => secret(s, "db", { secretName: "DB-PASSWORD" }),
    where: "stack/db",
    what: /may hold only letters, digits and '_'/,
    fix: /write it like "DB_PASSWORD"/,
  },
  "secret name with the GITHUB_ prefix": {
    build: (s) => secret(s, "db", { secretName: "github_token" }),
    where: "stack/db",
    what: /starts with GITHUB_, which GitHub reserves/,
    fix: /choose another prefix/,
  },
  "empty secret name": {
    build: (s) => secret(s, "db", { secretName: "" }),
    where: "stack/db",
    what: /secret name is empty/,
    fix: /such as DB_PASSWORD/,
  },
  "no value": {
    build: (s) => secret(s, "db", { value: undefined }),
    where: "stack/db",
    what: /value is missing/,
    fix: /SecretValue\./,
  },
  "two constructs for one secret": {
    build: (s) => {
      secret(s, "a");
      secret(s, "b");
    },
    where: "stack/b",
    what: /is declared by both "stack\/a" and "stack\/b"/,
    fix: /keep one of them, or give this one another secretName/,
  },
  "the same secret in another letter case": {
    build: (s) => {
      secret(s, "a", { secretName: "db_password", repository: "ACME/API", environment: "PRODUCTION" });
      secret(s, "b");
    },
    where: "stack/b",
    what: /is declared by both "stack\/a" and "stack\/b"/,
    fix: /keep one of them, or give this one another secretName/,
  },
  "101 secrets in one environment": {
    build: (s) => {
      for (let i = 0; i < 101; i++) secret(s, `s${i}`, { secretName: `S_${i}` });
    },
    where: "production",
    what: /101 secrets are declared for environment "production"/,
    fix: /move some to another environment/,
  },
  "unsafePlainText above 48 KB": {
    build: (s) => secret(s, "db", { value: SecretValue.unsafePlainText("x".repeat(48 * 1024 + 1)) }),
    where: "stack/db",
    what: /49153 bytes: GitHub allows at most 49152/,
    fix: /store a larger file elsewhere/,
  },
  "fromToken given a literal string": {
    build: (s) => secret(s, "db", { value: SecretValue.fromToken("hunter2") }),
    where: "stack/db",
    what: /fromToken\(\) was given a literal string, not a reference/,
    fix: /pass a resource attribute/,
  },
  "fromEnv given a name that is no variable name": {
    build: (s) => secret(s, "db", { value: SecretValue.fromEnv("1 BAD") }),
    where: "stack/db",
    what: /"1 BAD" is not an environment variable name/,
    fix: /use letters, digits and '_'/,
  },
  "provider with a literal token": {
    build: (s) => new GithubSecretsProvider(s, "github", { token: "ghp_literal" }),
    where: "stack/github",
    what: /token is a literal string, which would be written in plain text/,
    fix: /export GITHUB_TOKEN/,
  },
  "provider with a literal private key": {
    build: (s) => new GithubSecretsProvider(s, "github", { privateKey: "-----BEGIN" }),
    where: "stack/github",
    what: /privateKey is a literal string/,
    fix: /use privateKeyPath/,
  },
  "provider baseUrl without a scheme": {
    build: (s) => new GithubSecretsProvider(s, "github", { baseUrl: "github.example.com" }),
    where: "stack/github",
    what: /baseUrl "github.example.com" is not an http\(s\) URL/,
    fix: /write the API root/,
  },
  "provider writeDelayMs below zero": {
    build: (s) => new GithubSecretsProvider(s, "github", { writeDelayMs: -1 }),
    where: "stack/github",
    what: /writeDelayMs is -1/,
    fix: /give a whole number of 0 or more/,
  },
  "provider maxRetries not whole": {
    build: (s) => new GithubSecretsProvider(s, "github", { maxRetries: 1.5 }),
    where: "stack/github",
    what: /maxRetries is 1.5/,
    fix: /give a whole number of 0 or more/,
  },
  "provider alias that is no identifier": {
    build: (s) => new GithubSecretsProvider(s, "github", { alias: "two words" }),
    where: "stack/github",
    what: /alias "two words" is not a Terraform identifier/,
    fix: /use letters, digits, '_' and '-'/,
  },
  "provider with two App key sources": {
    build: (s) =>
      new GithubSecretsProvider(s, "github", {
        privateKeyEnv: "K",
        privateKeyPath: "/k.pem",
        appId: 1,
        installationId: 2,
      }),
    where: "stack/github",
    what: /privateKeyPath and privateKeyEnv both give the App's private key/,
    fix: /keep only one of them/,
  },
  "provider with a token and App settings": {
    build: (s) => {
      const token = new TerraformVariable(s, "t", { type: "string", sensitive: true });
      new GithubSecretsProvider(s, "github", {
        token: token.stringValue,
        appId: 1,
        installationId: 2,
        privateKeyPath: "/k",
      });
    },
    where: "stack/github",
    what: /token and GitHub App settings are both set/,
    fix: /keep only one way to authenticate/,
  },
};

describe("constructs", () => {
  test.each(Object.entries(constructCases))("%s", (_name, c) => {
    const outdir = mkdtempSync(join(outRoot, "app-"));
    const app = new App({ outdir });
    let message = "";
    try {
      c.build(new TerraformStack(app, "stack"));
      app.synth();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe(""); // refused
    expect(message).toMatch(c.what);
    expect(message).toContain(c.where);
    expect(message).toMatch(c.fix);
    // Nothing written: no stack configuration, so no terraform run can follow.
    expect(existsSync(join(outdir, "stacks", "stack", "cdk.tf.json"))).toBe(false);
    expect(message).not.toMatch(/hunter2|ghp_literal|-----BEGIN/);
    rmSync(outdir, { recursive: true, force: true });
  });
});

// ---- HCL: the provider's own checks, as Terraform calls them --------------------------------------

const TYPE = "ghsecrets_environment_secret";
const typeOf = (attributes: Record<string, { type: string }>) =>
  Object.fromEntries(Object.entries(attributes).map(([name, a]) => [name, a.type])) as ObjectType;
const resourceType = typeOf(ghsecretsProvider.resources[0]!.attributes);
const providerType = typeOf(ghsecretsProvider.attributes);
const nulls = (type: ObjectType) => Object.fromEntries(Object.keys(type).map((k) => [k, null]));

let emulator: GithubEmulator;
beforeAll(async () => {
  emulator = await GithubEmulator.start({ repositories: { "acme/api": ["production"] } });
});
afterAll(() => emulator?.stop());

interface HclCase {
  resource?: Record<string, unknown>;
  provider?: Record<string, unknown>;
  env?: Record<string, string>;
  /** The attribute Terraform points at, or "" for the resource or provider block. */
  where: string;
  what: RegExp;
  fix: RegExp;
}

/** Runs Terraform's sequence (validate, configure, validate resource, plan) until one reports errors. */
async function diagnosticsFor(c: HclCase): Promise<Message[]> {
  const saved = { ...process.env };
  // (Assigning undefined to process.env would store the string "undefined".)
  for (const key of ["GITHUB_TOKEN", "GH_TOKEN", "GITHUB_APP_ID", "GITHUB_APP_INSTALLATION_ID"])
    delete process.env[key];
  Object.assign(process.env, c.env);
  try {
    const service = new ProviderService(ghsecretsProvider as never, createLogger({ level: "off" }));
    const h = service.handlers();
    const providerConfig = {
      msgpack: undefined as unknown,
      ...encodeDynamicValue(
        { ...nulls(providerType), token: emulator.token, base_url: emulator.url, ...c.provider } as never,
        providerType,
      ),
    };
    const config = encodeDynamicValue(
      {
        ...nulls(resourceType),
        repository: "acme/api",
        environment: "production",
        secret_name: "DB_PASSWORD",
        value_env: "DB_PASSWORD",
        ...c.resource,
      } as never,
      resourceType,
    );
    const caps = { write_only_attributes_allowed: true };
    const steps: Array<() => Promise<Message>> = [
      () => h.ValidateProviderConfig!({ config: providerConfig }),
      () => h.ConfigureProvider!({ config: providerConfig, client_capabilities: caps }),
      () => h.ValidateResourceConfig!({ type_name: TYPE, config }),
      () =>
        h.PlanResourceChange!({
          type_name: TYPE,
          prior_state: encodeDynamicValue(null, resourceType),
          proposed_new_state: config,
          config,
          client_capabilities: caps,
        }),
    ];
    for (const step of steps) {
      const errors = ((await step()).diagnostics as Message[]).filter((d) => d.severity === 1);
      if (errors.length > 0) return errors;
    }
    service.stop();
    return [];
  } finally {
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

const hclCases: Record<string, HclCase> = {
  "repository without owner": {
    resource: { repository: "acme" },
    where: "repository",
    what: /is not of the form owner\/name/,
    fix: /write it like/,
  },
  "environment '..' (a path trick)": {
    resource: { environment: ".." },
    where: "environment",
    what: /would address the repository/,
    fix: /rename the environment/,
  },
  "environment '.' written as %2e": {
    resource: { environment: "%2e" },
    where: "environment",
    what: /refused/,
    fix: /rename the environment/,
  },
  "empty environment": {
    resource: { environment: "" },
    where: "environment",
    what: /environment name is empty/,
    fix: /such as production/,
  },
  "environment with a tab": {
    resource: { environment: "prod\tuction" },
    where: "environment",
    what: /control character U\+0009/,
    fix: /remove it/,
  },
  "secret name starting with a digit": {
    resource: { secret_name: "1X" },
    where: "secret_name",
    what: /starts with a digit/,
    fix: /start it with a letter/,
  },
  "secret name with the GITHUB_ prefix": {
    resource: { secret_name: "GITHUB_X" },
    where: "secret_name",
    what: /GitHub reserves/,
    fix: /choose another prefix/,
  },
  "secret name with a dot": {
    resource: { secret_name: "A.B" },
    where: "secret_name",
    what: /may hold only letters, digits and '_'/,
    fix: /write it like "A_B"/,
  },
  "no value source": {
    resource: { value_env: null },
    where: "",
    what: /No value source/,
    fix: /Set exactly one of value/,
  },
  "two value sources": {
    resource: { value: "x" },
    where: "value_env",
    what: /Only one value source may be set, found value and value_env/,
    fix: /Keep exactly one/,
  },
  "encrypted_value without key_id": {
    resource: { value_env: null, encrypted_value: "c2VhbGVk" },
    where: "key_id",
    what: /encrypted_value and key_id go together/,
    fix: /Give the id of the environment public key/,
  },
  "key_id without encrypted_value": {
    resource: { key_id: "123" },
    where: "encrypted_value",
    what: /encrypted_value and key_id go together/,
    fix: /alongside the sealed value/,
  },
  "value_env that is no variable name": {
    resource: { value_env: "DB PASSWORD" },
    where: "value_env",
    what: /is not an environment variable name/,
    fix: /e\.g\. DB_PASSWORD/,
  },
  "value_env naming an unset variable": {
    resource: { value_env: "NOT_SET_ANYWHERE" },
    where: "value_env",
    what: /Environment variable NOT_SET_ANYWHERE is not set/,
    fix: /export it in the environment that runs terraform/,
  },
  "value above 48 KB": {
    resource: { value_env: null, value: "x".repeat(48 * 1024 + 1) },
    where: "value",
    what: /49153 bytes: GitHub allows at most 49152/,
    fix: /store a larger file elsewhere/,
  },
  "value_env holding more than 48 KB": {
    resource: { value_env: "BIG_VALUE" },
    env: { BIG_VALUE: "y".repeat(50_000) },
    where: "value_env",
    what: /50000 bytes/,
    fix: /store a larger file elsewhere/,
  },
  "write_delay_ms below zero": {
    provider: { write_delay_ms: -1 },
    where: "write_delay_ms",
    what: /write_delay_ms must be a whole number/,
    fix: /of 0 or more/,
  },
  "max_retries not whole": {
    provider: { max_retries: 1.5 },
    where: "max_retries",
    what: /max_retries must be a whole number/,
    fix: /of 0 or more/,
  },
  "two App key sources": {
    provider: {
      token: null,
      app_id: "1",
      installation_id: "2",
      private_key: "k",
      private_key_env: "APP_KEY",
    },
    where: "private_key_env",
    what: /Give only one of private_key, private_key_env/,
    fix: /each is a way to give the App's private key/,
  },
  "no credentials at all": {
    provider: { token: null },
    where: "",
    what: /No GitHub credentials/,
    fix: /Set GITHUB_TOKEN/,
  },
  "App id without installation and key": {
    provider: { token: null, app_id: "1" },
    where: "",
    what: /Incomplete GitHub App credentials: set installation_id, private_key/,
    fix: /GITHUB_APP_INSTALLATION_ID/,
  },
  "private_key_env naming an unset variable": {
    provider: { token: null, app_id: "1", installation_id: "2", private_key_env: "NO_SUCH_KEY" },
    where: "private_key_env",
    what: /The environment variable NO_SUCH_KEY \(private_key_env\) is not set/,
    fix: /Export NO_SUCH_KEY/,
  },
  "private_key_path that cannot be read": {
    provider: { token: null, app_id: "1", installation_id: "2", private_key_path: "/nonexistent/app.pem" },
    where: "private_key_path",
    what: /Cannot read the GitHub App private key file \/nonexistent\/app.pem/,
    fix: /ENOENT/,
  },
  "fingerprint_key_env naming an unset variable": {
    provider: { fingerprint_key_env: "NO_FP_KEY" },
    where: "fingerprint_key_env",
    what: /The environment variable NO_FP_KEY \(fingerprint_key_env\) is not set/,
    fix: /Export NO_FP_KEY .* or remove fingerprint_key_env/,
  },
  "fingerprint key too short": {
    provider: { fingerprint_key_env: "FP_KEY" },
    env: { FP_KEY: "short" },
    where: "fingerprint_key_env",
    what: /is too short/,
    fix: /openssl rand -base64 32/,
  },
};

describe("HCL", () => {
  test.each(Object.entries(hclCases))("%s", async (_name, c) => {
    emulator.resetRequestCounts();
    const errors = await diagnosticsFor({ ...c, env: { DB_PASSWORD: "hunter2", ...c.env } });
    expect(errors.length).toBeGreaterThan(0); // refused
    const text = errors.map((d) => `${d.summary}\n${d.detail}`).join("\n");
    expect(text).toMatch(c.what);
    expect(text).toMatch(c.fix);
    const where = errors.map((d) => d.attribute?.steps?.[0]?.attribute_name ?? "");
    expect(where).toContain(c.where);
    expect(text).not.toContain("hunter2");
    // Nothing written (and for settings, nothing asked of GitHub at all).
    const counts = emulator.requestCounts();
    expect(Object.keys(counts).filter((route) => !route.startsWith("GET"))).toEqual([]);
    if (c.provider) expect(counts).toEqual({});
  });
});

test("the suite covers at least 40 bad inputs", () => {
  expect(Object.keys(constructCases).length + Object.keys(hclCases).length).toBeGreaterThanOrEqual(40);
  expect(readdirSync(outRoot)).toEqual([]); // every case cleaned its output up
});
