import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import "cdktf/lib/testing/adapters/jest";
import {
  App,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Testing,
  Token,
} from "cdktf";
import {
  EnvironmentSecret,
  EnvironmentSecretResource,
  GithubSecretsProvider,
  PROVIDER_SOURCE,
  SecretValue,
} from "../src";
import * as mirror from "../src/mirror";
import { useTestTmp } from "./helpers/test-tmp";

// writeProviderMirror, observable: the real one by default; a test may stub it for one synth.
// (A module mock, not jest.spyOn: the compiled module's exports are getters spyOn cannot replace.)
jest.mock("../src/mirror", () => {
  const actual = jest.requireActual("../src/mirror");
  return { ...actual, writeProviderMirror: jest.fn(actual.writeProviderMirror) };
});

/** Runs `synth` with writeProviderMirror stubbed (no files), returning the directories it was given. */
function withMirrorStubbed(synth: () => void): string[] {
  const write = jest.mocked(mirror.writeProviderMirror);
  write.mockClear();
  write.mockReturnValue({ source: PROVIDER_SOURCE, version, directories: [] });
  try {
    synth();
    return write.mock.calls.map(([dir]) => dir);
  } finally {
    write.mockReset();
    write.mockImplementation(jest.requireActual("../src/mirror").writeProviderMirror);
  }
}

Testing.setupJest();

// Testing.app() makes a temp folder per app: kept in the project's ignored .tmp, and removed.
useTestTmp("constructs");

const { version } = require("../package.json") as { version: string };

function newStack(app: App = Testing.app(), id = "stack"): TerraformStack {
  return new TerraformStack(app, id);
}

type SecretInput = Partial<ConstructorParameters<typeof EnvironmentSecret>[2]>;

function secret(stack: TerraformStack, id = "db", props: SecretInput = {}): EnvironmentSecret {
  return new EnvironmentSecret(stack, id, {
    repository: "acme/api",
    environment: "production",
    secretName: "DB_PASSWORD",
    value: SecretValue.fromEnv("DB_PASSWORD"),
    ...props,
  });
}

function parsed(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack));
}

function resourceOf(stack: TerraformStack, name = "db"): Record<string, unknown> {
  return parsed(stack).resource.ghsecrets_environment_secret[name];
}

function warningsOf(construct: { node: { metadata: Array<{ type: string; data: unknown }> } }): string[] {
  return construct.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
}

/** The message of the error `fn` throws (fails the test when it does not throw). */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error, none was thrown");
}

describe("GithubSecretsProvider", () => {
  test("a stack with secrets and no provider gets a default one, pinned to the bundled version", () => {
    const stack = newStack();
    secret(stack);
    const synth = Testing.synth(stack);
    expect(synth).toHaveProvider(GithubSecretsProvider);
    const json = JSON.parse(synth);
    expect(json.provider.ghsecrets).toEqual([{}]);
    expect(json.terraform.required_providers.ghsecrets).toEqual({ source: PROVIDER_SOURCE, version });
    expect(PROVIDER_SOURCE).toBe("cdktf-github-secrets.local/ghsecrets/ghsecrets");
    expect(Object.keys(GithubSecretsProvider)).not.toContain("SOURCE"); // one name: PROVIDER_SOURCE
  });

  test("of() returns the stack's default provider and creates it only once", () => {
    const stack = newStack();
    const first = GithubSecretsProvider.of(stack);
    secret(stack, "a");
    secret(stack, "b", { secretName: "OTHER" });
    expect(GithubSecretsProvider.of(stack)).toBe(first);
    expect(stack.node.findAll().filter(GithubSecretsProvider.isGithubSecretsProvider)).toHaveLength(1);
    expect(first.version).toBe(version);
  });

  test("an explicit default provider declared after the secrets replaces the implicit one", () => {
    const stack = newStack();
    const s = secret(stack);
    const explicit = new GithubSecretsProvider(stack, "github", { maxRetries: 5 });
    expect(parsed(stack).provider.ghsecrets).toEqual([{ max_retries: 5 }]);
    expect(s.provider).toBe(explicit);
    expect(resourceOf(stack)).not.toHaveProperty("provider");
  });

  test("every property is written under its provider attribute name", () => {
    const stack = newStack();
    new GithubSecretsProvider(stack, "github", {
      baseUrl: "https://github.example.com/api/v3",
      appId: 12345,
      installationId: "678",
      privateKeyPath: "/secrets/app.pem",
      writeDelayMs: 250,
      maxRetries: 2,
      fingerprintKeyEnv: "FINGERPRINT_KEY",
      alias: "ghes",
    });
    expect(Testing.synth(stack)).toHaveProviderWithProperties(GithubSecretsProvider, {
      fingerprint_key_env: "FINGERPRINT_KEY",
      base_url: "https://github.example.com/api/v3",
      app_id: "12345",
      installation_id: "678",
      private_key_path: "/secrets/app.pem",
      write_delay_ms: 250,
      max_retries: 2,
      alias: "ghes",
    });
  });

  test("token and privateKey are accepted as references to sensitive variables", () => {
    const stack = newStack();
    const token = new TerraformVariable(stack, "github_token", { type: "string", sensitive: true });
    const key = new TerraformVariable(stack, "app_key", { type: "string", sensitive: true });
    new GithubSecretsProvider(stack, "token", { token: token.stringValue });
    new GithubSecretsProvider(stack, "app", {
      alias: "app",
      appId: "1",
      installationId: "2",
      privateKey: key.stringValue,
    });
    const synth = Testing.synth(stack);
    expect(synth).toHaveProviderWithProperties(GithubSecretsProvider, { token: "${var.github_token}" });
    expect(synth).toHaveProviderWithProperties(GithubSecretsProvider, {
      alias: "app",
      private_key: "${var.app_key}",
    });
  });

  test("privateKeyEnv names the variable the provider reads the App key from", () => {
    const stack = newStack();
    new GithubSecretsProvider(stack, "github", {
      appId: 1,
      installationId: 2,
      privateKeyEnv: "DEPLOY_APP_KEY",
    });
    expect(Testing.synth(stack)).toHaveProviderWithProperties(GithubSecretsProvider, {
      private_key_env: "DEPLOY_APP_KEY",
    });
  });

  test("number tokens for the App ids become string references", () => {
    const stack = newStack();
    const appId = new TerraformVariable(stack, "app_id", { type: "number" });
    new GithubSecretsProvider(stack, "github", {
      appId: appId.numberValue,
      installationId: 9,
      privateKeyPath: "/k.pem",
    });
    expect(Testing.synth(stack)).toHaveProviderWithProperties(GithubSecretsProvider, {
      app_id: "${var.app_id}",
    });
  });

  test("a literal token is refused, without echoing it, and the fix is named", () => {
    const stack = newStack();
    const message = errorOf(
      () => new GithubSecretsProvider(stack, "github", { token: "ghp_literalTokenValue123" }),
    );
    expect(message).toContain('GithubSecretsProvider at "stack/github"');
    expect(message).toContain("GITHUB_TOKEN (or GH_TOKEN)");
    expect(message).toContain("sensitive: true");
    expect(message).not.toContain("ghp_literalTokenValue123");
  });

  test("a literal privateKey is refused, without echoing it", () => {
    const stack = newStack();
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretkeymaterial\n-----END RSA PRIVATE KEY-----";
    const message = errorOf(
      () => new GithubSecretsProvider(stack, "github", { appId: 1, installationId: 2, privateKey: pem }),
    );
    expect(message).toContain("privateKey is a literal string");
    expect(message).toContain("privateKeyPath");
    expect(message).not.toContain("MIIEsecretkeymaterial");
  });

  test.each([
    [
      { privateKey: "${var.k}", privateKeyPath: "/k.pem", appId: 1, installationId: 2 },
      "privateKey and privateKeyPath both give the App's private key: keep only one of them",
    ],
    [
      { privateKeyEnv: "APP_KEY", privateKeyPath: "/k.pem", appId: 1, installationId: 2 },
      "privateKeyPath and privateKeyEnv both give",
    ],
    [
      { appId: 1, installationId: 2, privateKeyPath: "/k.pem", token: "${var.t}" },
      "token and GitHub App settings are both set",
    ],
    [{ baseUrl: "github.example.com" }, 'baseUrl "github.example.com" is not an http(s) URL'],
    [{ writeDelayMs: -1 }, "writeDelayMs is -1: give a whole number of 0 or more"],
    [{ maxRetries: 1.5 }, "maxRetries is 1.5: give a whole number of 0 or more"],
    [{ alias: "two words" }, 'alias "two words" is not a Terraform identifier'],
  ])("rejects %j", (props, expected) => {
    const stack = newStack();
    // Strings shaped like "${var.x}" are literals to cdktf: make real tokens of them.
    const tokenized = Object.fromEntries(
      Object.entries(props).map(([k, v]) => [
        k,
        typeof v === "string" && v.startsWith("${") ? Token.asString(v) : v,
      ]),
    );
    expect(errorOf(() => new GithubSecretsProvider(stack, "github", tokenized))).toContain(expected);
  });

  test("a second default provider in one stack is refused and told to use an alias", () => {
    const stack = newStack();
    new GithubSecretsProvider(stack, "one", {});
    const message = errorOf(() => new GithubSecretsProvider(stack, "two", {}));
    expect(message).toContain('already has a default GithubSecretsProvider at "stack/one"');
    expect(message).toContain("alias");
  });

  test("setting alias later gets the same checks as the prop", () => {
    const stack = newStack();
    new GithubSecretsProvider(stack, "one", {});
    const second = new GithubSecretsProvider(stack, "two", { alias: "two" });
    expect(errorOf(() => (second.alias = "two words"))).toContain(
      'alias "two words" is not a Terraform identifier',
    );
    expect(errorOf(() => (second.alias = undefined))).toContain(
      'already has a default GithubSecretsProvider at "stack/one"',
    );
    expect(second.alias).toBe("two");
    second.alias = "renamed";
    expect(parsed(stack).provider.ghsecrets).toEqual([{}, { alias: "renamed" }]);
  });

  test("an aliased provider is used only by the secrets given it", () => {
    const stack = newStack();
    const ghes = new GithubSecretsProvider(stack, "ghes", {
      alias: "ghes",
      baseUrl: "https://ghes.example.com/api/v3",
    });
    secret(stack, "db", { provider: ghes });
    secret(stack, "other", { secretName: "OTHER" });
    const json = parsed(stack);
    expect(json.resource.ghsecrets_environment_secret.db.provider).toBe("ghsecrets.ghes");
    expect(json.resource.ghsecrets_environment_secret.other).not.toHaveProperty("provider");
    // The unaliased default still exists for the second secret.
    expect(json.provider.ghsecrets).toEqual(expect.arrayContaining([{}]));
  });

  test("a provider of another stack is refused", () => {
    const app = Testing.app();
    const other = new GithubSecretsProvider(newStack(app, "other"), "github", {});
    const message = errorOf(() => secret(newStack(app, "mine"), "db", { provider: other }));
    expect(message).toContain('provider "other/github" belongs to another stack');
  });

  test("HCL output carries the same attributes", () => {
    const stack = newStack();
    new GithubSecretsProvider(stack, "github", { maxRetries: 4, baseUrl: "https://ghes.example.com/api/v3" });
    secret(stack);
    const hcl = Testing.synthHcl(stack) as string;
    expect(hcl).toMatch(/max_retries\s*=\s*4/);
    expect(hcl).toMatch(/secret_name\s*=\s*"DB_PASSWORD"/);
    expect(hcl).toMatch(/value_env\s*=\s*"DB_PASSWORD"/);
  });

  test("at synth time the mirror is written once into each stack's working directory", () => {
    const app = Testing.app();
    const a = newStack(app, "a");
    new GithubSecretsProvider(a, "github", {});
    new GithubSecretsProvider(a, "second", { alias: "second" });
    secret(newStack(app, "b"));
    const dirs = withMirrorStubbed(() => app.synth()).sort();
    expect(dirs).toEqual([join(app.outdir, "stacks", "a"), join(app.outdir, "stacks", "b")]);
  });
});

describe("EnvironmentSecret", () => {
  test("maps its properties to the resource and upper-cases the name", () => {
    const stack = newStack();
    const s = secret(stack, "db", { environment: "prod/eu", secretName: "db_password" });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(EnvironmentSecretResource, {
      repository: "acme/api",
      environment: "prod/eu",
      secret_name: "DB_PASSWORD",
      value_env: "DB_PASSWORD",
    });
    expect(s.secretName).toBe("DB_PASSWORD");
    expect(s.resource).toBeInstanceOf(EnvironmentSecretResource);
    expect(EnvironmentSecret.isEnvironmentSecret(s)).toBe(true);
    expect(EnvironmentSecret.isEnvironmentSecret(s.resource)).toBe(false);
  });

  test("the resource address is the construct id (no hash) for a secret at the top of a stack", () => {
    const stack = newStack();
    secret(stack, "db");
    expect(Object.keys(parsed(stack).resource.ghsecrets_environment_secret)).toEqual(["db"]);
  });

  test("exposes fingerprint and timestamps as references, the id (importId) as the plain string", () => {
    const stack = newStack();
    const s = secret(stack);
    expect(Token.isUnresolved(s.fingerprint)).toBe(true);
    new TerraformOutput(stack, "fingerprint", { value: s.fingerprint });
    new TerraformOutput(stack, "updated", { value: s.updatedAt });
    new TerraformOutput(stack, "created", { value: s.createdAt });
    new TerraformOutput(stack, "id", { value: s.importId });
    const out = parsed(stack).output;
    expect(out.fingerprint.value).toBe("${ghsecrets_environment_secret.db.value_fingerprint}");
    expect(out.updated.value).toBe("${ghsecrets_environment_secret.db.updated_at}");
    expect(out.created.value).toBe("${ghsecrets_environment_secret.db.created_at}");
    expect(out.id.value).toBe("acme/api:production:DB_PASSWORD");
    expect((s as unknown as Record<string, unknown>).secretId).toBeUndefined(); // one name for the id
  });

  test("importExisting() adds an import block with the owner/repo:environment:NAME id", () => {
    const stack = newStack();
    const s = secret(stack, "db", { environment: "prod/eu", secretName: "db_password" });
    s.importExisting();
    expect(s.importId).toBe("acme/api:prod/eu:DB_PASSWORD");
    expect(parsed(stack).import).toEqual([
      { id: "acme/api:prod/eu:DB_PASSWORD", to: "ghsecrets_environment_secret.db" },
    ]);
  });

  test("generateConfigForImport() adds an import block for a secret with no configuration yet", () => {
    const stack = newStack();
    EnvironmentSecretResource.generateConfigForImport(stack, "legacy", "acme/api:staging:LEGACY_KEY");
    expect(parsed(stack).import).toEqual([
      { id: "acme/api:staging:LEGACY_KEY", to: "ghsecrets_environment_secret.legacy" },
    ]);
  });

  test("importExisting() with an aliased provider names that provider", () => {
    const stack = newStack();
    const ghes = new GithubSecretsProvider(stack, "ghes", { alias: "ghes" });
    secret(stack, "db", { provider: ghes }).importExisting();
    expect(parsed(stack).import).toEqual([
      {
        id: "acme/api:production:DB_PASSWORD",
        provider: "ghsecrets.ghes",
        to: "ghsecrets_environment_secret.db",
      },
    ]);
  });

  test("parts given as references are passed through unchecked and unchanged", () => {
    const stack = newStack();
    const repo = new TerraformVariable(stack, "repo", { type: "string" });
    const name = new TerraformVariable(stack, "name", { type: "string" });
    secret(stack, "db", { repository: repo.stringValue, secretName: name.stringValue });
    expect(resourceOf(stack)).toMatchObject({ repository: "${var.repo}", secret_name: "${var.name}" });
  });

  describe("validation names the construct path and the fix", () => {
    test.each([
      [
        "repository without owner",
        { repository: "acme" },
        'repository "acme" is not of the form owner/name: write it like "acme/api"',
      ],
      [
        "bad owner",
        { repository: "-acme/api" },
        'repository owner "-acme" is not a valid GitHub user or organization name',
      ],
      [
        "bad repository name",
        { repository: "acme/api!" },
        `repository name "api!" is not a valid GitHub repository name (letters, digits, '.', '_' and '-')`,
      ],
      [
        "repository not a string",
        { repository: 42 as unknown as string },
        "repository is missing: give it as a string",
      ],
      ["blank environment", { environment: " " }, "environment name is empty"],
      [
        "long environment",
        { environment: "e".repeat(256) },
        "environment name is 256 characters long: GitHub allows at most 255; shorten it",
      ],
      [
        "leading digit",
        { secretName: "1PASSWORD" },
        `secret name "1PASSWORD" starts with a digit: start it with a letter or '_'`,
      ],
      [
        "hyphen in name",
        { secretName: "DB-PASSWORD" },
        `may hold only letters, digits and '_': write it like "DB_PASSWORD"`,
      ],
      [
        "GITHUB_ prefix",
        { secretName: "github_token" },
        "starts with GITHUB_, which GitHub reserves: choose another prefix",
      ],
      ["empty name", { secretName: "" }, "secret name is empty"],
    ])("%s", (_label, props, expected) => {
      const message = errorOf(() => secret(newStack(), "db", props));
      expect(message).toContain('EnvironmentSecret at "stack/db"');
      expect(message).toContain(expected);
    });

    test("several problems are all listed", () => {
      const message = errorOf(() => secret(newStack(), "db", { repository: "nope", secretName: "9-x" }));
      expect(message.split("\n  - ")).toHaveLength(4);
    });

    test("a missing value is reported", () => {
      const message = errorOf(() => secret(newStack(), "db", { value: undefined }));
      expect(message).toContain("value is missing");
    });
  });

  describe("duplicates and limits (checked at synth)", () => {
    test("two constructs for the same secret are an error naming both paths", () => {
      const stack = newStack();
      secret(stack, "first");
      secret(stack, "second", { secretName: "db_password" });
      const message = errorOf(() => Testing.synth(stack, true));
      expect(message).toContain('[stack/second] secret DB_PASSWORD of environment "production" in acme/api');
      expect(message).toContain('declared by both "stack/first" and "stack/second"');
      expect(message).not.toContain("[stack/first]");
    });

    test("repository and environment names are compared case-insensitively", () => {
      const stack = newStack();
      secret(stack, "first");
      secret(stack, "second", { repository: "Acme/API", environment: "Production" });
      expect(errorOf(() => Testing.synth(stack, true))).toContain(
        'declared by both "stack/first" and "stack/second"',
      );
    });

    test("duplicates across two stacks of one app are found", () => {
      const app = Testing.app();
      secret(newStack(app, "one"), "db");
      const two = newStack(app, "two");
      secret(two, "db");
      expect(errorOf(() => Testing.synth(two, true))).toContain('declared by both "one/db" and "two/db"');
    });

    test("the same secret on two GitHub hosts (github.com and an Enterprise server) is not a duplicate", () => {
      const stack = newStack();
      const ghe = new GithubSecretsProvider(stack, "ghe", {
        alias: "ghe",
        baseUrl: "https://github.example.com/api/v3",
      });
      secret(stack, "public");
      secret(stack, "enterprise", { provider: ghe });
      expect(() => Testing.synth(stack, true)).not.toThrow();
    });

    test("two providers for one host (any spelling of its URL) still find the duplicate", () => {
      const stack = newStack();
      const a = new GithubSecretsProvider(stack, "a", {
        alias: "a",
        baseUrl: "https://github.example.com/api/v3",
      });
      const b = new GithubSecretsProvider(stack, "b", {
        alias: "b",
        baseUrl: "https://GitHub.Example.com/api/v3/",
      });
      secret(stack, "first", { provider: a });
      secret(stack, "second", { provider: b });
      expect(errorOf(() => Testing.synth(stack, true))).toContain(
        'declared by both "stack/first" and "stack/second"',
      );
      const c = newStack(Testing.app(), "c");
      const explicit = new GithubSecretsProvider(c, "gh", { alias: "gh", baseUrl: "https://api.github.com" });
      secret(c, "first");
      secret(c, "second", { provider: explicit });
      expect(errorOf(() => Testing.synth(c, true))).toContain('declared by both "c/first" and "c/second"');
    });

    test("the same name in another environment or repository is fine", () => {
      const stack = newStack();
      secret(stack, "a");
      secret(stack, "b", { environment: "staging" });
      secret(stack, "c", { repository: "acme/web" });
      expect(() => Testing.synth(stack, true)).not.toThrow();
    });

    test("100 secrets in one environment are fine, 101 are an error reported once", () => {
      const stack = newStack();
      for (let i = 0; i < 100; i++) {
        secret(stack, `s${i}`, { secretName: `SECRET_${i}` });
      }
      secret(stack, "elsewhere", { environment: "staging" });
      expect(() => Testing.synth(stack, true)).not.toThrow();
      secret(stack, "s100", { secretName: "SECRET_100" });
      const message = errorOf(() => Testing.synth(stack, true));
      expect(message).toContain(
        '[stack/s0] 101 secrets are declared for environment "production" of acme/api: GitHub allows at most 100',
      );
      expect(message.match(/101 secrets/g)).toHaveLength(1);
    });
  });
});

describe("SecretValue", () => {
  test("fromEnv: only the variable's name is written (value_env)", () => {
    const stack = newStack();
    secret(stack, "db", { value: SecretValue.fromEnv("EXAMPLE_DB_PASSWORD") });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(EnvironmentSecretResource, {
      value_env: "EXAMPLE_DB_PASSWORD",
    });
    expect(Object.keys(resourceOf(stack)).sort()).toEqual([
      "environment",
      "repository",
      "secret_name",
      "value_env",
    ]);
  });

  test("fromVariable: a reference in the write-only value, no warning for a sensitive variable", () => {
    const stack = newStack();
    const pw = new TerraformVariable(stack, "db_password", { type: "string", sensitive: true });
    const s = secret(stack, "db", { value: SecretValue.fromVariable(pw) });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(EnvironmentSecretResource, {
      value: "${var.db_password}",
    });
    expect(Object.keys(resourceOf(stack)).sort()).toEqual([
      "environment",
      "repository",
      "secret_name",
      "value",
    ]);
    expect(warningsOf(s)).toEqual([]);
  });

  test("fromVariable: warns about a variable that is not sensitive", () => {
    const stack = newStack();
    const pw = new TerraformVariable(stack, "db_password", { type: "string" });
    const s = secret(stack, "db", { value: SecretValue.fromVariable(pw) });
    const warnings = warningsOf(s);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('variable "db_password" is not sensitive');
    expect(warnings[0]).toContain("sensitive: true");
  });

  test("fromVariable: warns that a default is written to cdk.tf.json, and checks its size", () => {
    const stack = newStack();
    const pw = new TerraformVariable(stack, "db_password", { type: "string", sensitive: true, default: "x" });
    const s = secret(stack, "db", { value: SecretValue.fromVariable(pw) });
    expect(warningsOf(s).join("\n")).toContain(
      "has a default, which is written in plain text to cdk.tf.json",
    );
    const big = new TerraformVariable(stack, "big", {
      type: "string",
      sensitive: true,
      default: "x".repeat(49 * 1024),
    });
    const message = errorOf(() =>
      secret(stack, "big-secret", { secretName: "BIG", value: SecretValue.fromVariable(big) }),
    );
    expect(message).toContain(
      'variable "big" default: secret value is 50176 bytes: GitHub allows at most 49152 bytes',
    );
  });

  test("fromToken: another resource's attribute in the write-only value", () => {
    const stack = newStack();
    const password = new TerraformResource(stack, "password", { terraformResourceType: "random_password" });
    secret(stack, "db", { value: SecretValue.fromToken(password.getStringAttribute("result")) });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(EnvironmentSecretResource, {
      value: "${random_password.password.result}",
    });
  });

  test("fromToken: a literal string is an error", () => {
    const message = errorOf(() =>
      secret(newStack(), "db", { value: SecretValue.fromToken("hunter2-literal") }),
    );
    expect(message).toContain('EnvironmentSecret at "stack/db"');
    expect(message).toContain("SecretValue.fromToken() was given a literal string");
    expect(message).not.toContain("hunter2-literal");
  });

  test("encrypted: ciphertext and key id go to encrypted_value and key_id", () => {
    const stack = newStack();
    const ciphertext = Buffer.alloc(60, 7).toString("base64");
    secret(stack, "db", { value: SecretValue.encrypted(ciphertext, "568250167242549743") });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(EnvironmentSecretResource, {
      encrypted_value: ciphertext,
      key_id: "568250167242549743",
    });
    expect(resourceOf(stack)).not.toHaveProperty("value");
    expect(resourceOf(stack)).not.toHaveProperty("value_env");
  });

  test.each([
    ["not base64", "not base64!", "k", "the ciphertext is not base64"],
    [
      "too short for a sealed box",
      Buffer.alloc(20).toString("base64"),
      "k",
      "the ciphertext is 20 bytes, shorter than any sealed box",
    ],
    [
      "sealing more than 48 KB",
      Buffer.alloc(48 + 49153).toString("base64"),
      "k",
      "secret value is 49153 bytes",
    ],
    ["blank key id", Buffer.alloc(60).toString("base64"), " ", "keyId is empty"],
  ])("encrypted: rejects a ciphertext %s", (_label, ciphertext, keyId, expected) => {
    const message = errorOf(() =>
      secret(newStack(), "db", { value: SecretValue.encrypted(ciphertext, keyId) }),
    );
    expect(message).toContain('EnvironmentSecret at "stack/db"');
    expect(message).toContain(expected);
  });

  // From JavaScript nothing stops a number or an object reaching a factory.
  test.each([
    [
      "SecretValue.encrypted(ct, 12345)",
      () => SecretValue.encrypted(Buffer.alloc(60).toString("base64"), 12345 as any),
      "keyId must be a string, got a number",
    ],
    [
      "SecretValue.encrypted(12345, id)",
      () => SecretValue.encrypted(12345 as any, "k"),
      "ciphertext must be a string, got a number",
    ],
    ["SecretValue.fromEnv(42)", () => SecretValue.fromEnv(42 as any), "name must be a string, got a number"],
    [
      "SecretValue.fromToken({})",
      () => SecretValue.fromToken({} as any),
      "expression must be a string, got an object",
    ],
    [
      "SecretValue.unsafePlainText(7)",
      () => SecretValue.unsafePlainText(7 as any),
      "text must be a string, got a number",
    ],
    [
      'SecretValue.fromVariable("x")',
      () => SecretValue.fromVariable("x" as any),
      "variable must be a TerraformVariable, got a string",
    ],
  ])("%s from JavaScript: a clear error naming the construct path", (_label, make, expected) => {
    const message = errorOf(() => secret(newStack(), "db", { value: make() }));
    expect(message).toContain('EnvironmentSecret at "stack/db"');
    expect(message).toContain(expected);
    expect(message).not.toMatch(/is not a function/);
  });

  test("an empty literal value is refused unless allowEmpty is set, which reaches the provider", () => {
    const message = errorOf(() => secret(newStack(), "db", { value: SecretValue.unsafePlainText("") }));
    expect(message).toContain('EnvironmentSecret at "stack/db"');
    expect(message).toContain("allowEmpty: true");
    const stack = newStack();
    secret(stack, "db", { value: SecretValue.unsafePlainText(""), allowEmpty: true });
    expect(resourceOf(stack)).toMatchObject({ value: "", allow_empty: true });
    const other = newStack();
    secret(other, "db");
    expect(resourceOf(other)).not.toHaveProperty("allow_empty");
  });

  test("a value that is not a SecretValue is refused with the construct path", () => {
    const message = errorOf(() => secret(newStack(), "db", { value: "plain" as any }));
    expect(message).toContain('EnvironmentSecret at "stack/db"');
    expect(message).toContain("value must be a SecretValue");
  });

  test("unsafePlainText: works, with a warning that the plaintext lands in cdk.tf.json", () => {
    const stack = newStack();
    const s = secret(stack, "db", { value: SecretValue.unsafePlainText("not-so-secret") });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(EnvironmentSecretResource, {
      value: "not-so-secret",
    });
    const warnings = warningsOf(s);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("plaintext is written to cdk.tf.json");
    expect(warnings[0]).not.toContain("not-so-secret");
  });

  test("unsafePlainText: a value above 48 KB is an error that does not quote it", () => {
    const message = errorOf(() =>
      secret(newStack(), "db", { value: SecretValue.unsafePlainText("y".repeat(48 * 1024 + 1)) }),
    );
    expect(message).toContain("secret value is 49153 bytes: GitHub allows at most 49152 bytes (48 KB)");
    expect(message).not.toContain("yyyy");
  });

  test("fromEnv: a name that is not an environment variable name is an error", () => {
    const message = errorOf(() => secret(newStack(), "db", { value: SecretValue.fromEnv("DB PASSWORD") }));
    expect(message).toContain('"DB PASSWORD" is not an environment variable name');
  });

  test("fromEnv and fromVariable put no plaintext in the synthesized config", () => {
    const plaintext = "pl41ntext-must-not-leak";
    process.env.CONSTRUCTS_TEST_SECRET = plaintext;
    process.env.TF_VAR_leak_check = plaintext;
    try {
      const stack = newStack();
      const variable = new TerraformVariable(stack, "leak_check", { type: "string", sensitive: true });
      secret(stack, "env", { value: SecretValue.fromEnv("CONSTRUCTS_TEST_SECRET") });
      secret(stack, "variable", { secretName: "OTHER", value: SecretValue.fromVariable(variable) });
      const synth = Testing.synth(stack);
      expect(synth).toContain("CONSTRUCTS_TEST_SECRET");
      expect(synth).toContain("${var.leak_check}");
      expect(synth).not.toContain(plaintext);
    } finally {
      delete process.env.CONSTRUCTS_TEST_SECRET;
      delete process.env.TF_VAR_leak_check;
    }
  });

  test("logging or serializing a SecretValue never shows a plaintext", () => {
    const value = SecretValue.unsafePlainText("printed-by-mistake");
    expect(inspect(value)).toBe("SecretValue(plaintext)");
    expect(`${value}`).toBe("SecretValue(plaintext)");
    expect(JSON.stringify({ value })).toBe('{"value":{"source":"plaintext"}}');
    expect(value.sourceKind).toBe("plaintext");
  });

  test("warnings reach the manifest the cdktf CLI prints them from", () => {
    const app = Testing.app();
    secret(newStack(app, "stack"), "db", { value: SecretValue.unsafePlainText("x") });
    withMirrorStubbed(() => app.synth());
    const manifest = JSON.parse(readFileSync(join(app.outdir, "manifest.json"), "utf8"));
    expect(manifest.stacks.stack.annotations).toEqual([
      expect.objectContaining({
        constructPath: "stack/db",
        level: "@cdktf/warn",
        message: expect.stringContaining("unsafePlainText"),
      }),
    ]);
  });
});
