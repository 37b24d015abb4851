// EnvironmentSecrets and SecretNames: synth-time behaviour (fast, in process).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import "cdktf/lib/testing/adapters/jest";
import { App, TerraformStack, TerraformVariable, Testing } from "cdktf";
import {
  EnvironmentSecret,
  EnvironmentSecretResource,
  EnvironmentSecrets,
  EnvironmentSecretSetResource,
  SecretNames,
  SecretValue,
} from "../src";
import { errorOf, useTestTmp } from "./helpers/test-tmp";

Testing.setupJest();

const tmp = useTestTmp("environment-secrets");

function newStack(app: App = Testing.app(), id = "stack"): TerraformStack {
  return new TerraformStack(app, id);
}

function resources(stack: TerraformStack): Array<Record<string, unknown>> {
  const synth = JSON.parse(Testing.synth(stack)) as {
    resource?: { ghsecrets_environment_secret?: Record<string, Record<string, unknown>> };
  };
  return Object.values(synth.resource?.ghsecrets_environment_secret ?? {});
}

function prod(
  stack: TerraformStack,
  secrets: Record<string, SecretValue>,
  id = "prod",
  environment = "production",
): EnvironmentSecrets {
  return new EnvironmentSecrets(stack, id, { repository: "acme/api", environment, secrets });
}

describe("EnvironmentSecrets", () => {
  test("one ghsecrets_environment_secret per entry, each value from its own source", () => {
    const stack = newStack();
    const apiKey = new TerraformVariable(stack, "api_key", { type: "string", sensitive: true });
    const set = prod(stack, {
      DB_PASSWORD: SecretValue.fromEnv("PROD_DB_PASSWORD"),
      api_key: SecretValue.fromVariable(apiKey),
    });
    const synthesized = resources(stack);
    expect(synthesized).toHaveLength(2);
    // Without exclusive, nothing else: no set resource that could delete other stacks' secrets.
    expect(Object.keys(JSON.parse(Testing.synth(stack)).resource)).toEqual(["ghsecrets_environment_secret"]);
    expect(synthesized).toEqual(
      expect.arrayContaining([
        {
          repository: "acme/api",
          environment: "production",
          secret_name: "DB_PASSWORD",
          value_env: "PROD_DB_PASSWORD",
        },
        {
          repository: "acme/api",
          environment: "production",
          secret_name: "API_KEY",
          value: "${var.api_key}",
        },
      ]),
    );
    expect(set.secrets.map((s) => s.secretName)).toEqual(["DB_PASSWORD", "API_KEY"]);
    expect(set.secret("Api_Key")).toBeInstanceOf(EnvironmentSecret);
    expect(set.secret("NOPE")).toBeUndefined();
  });

  test("importExisting adds one import block per secret", () => {
    const stack = newStack();
    prod(stack, { A: SecretValue.fromEnv("A"), B: SecretValue.fromEnv("B") }).importExisting();
    const synth = JSON.parse(Testing.synth(stack)) as { import?: Array<{ id: string }> };
    expect((synth.import ?? []).map((i) => i.id).sort()).toEqual([
      "acme/api:production:A",
      "acme/api:production:B",
    ]);
  });

  test("a bad name is reported at the secret's path, with the fix", () => {
    const message = errorOf(() => prod(newStack(), { "DB-PASSWORD": SecretValue.fromEnv("X") }));
    expect(message).toContain('EnvironmentSecret at "stack/prod/DB-PASSWORD"');
    expect(message).toContain(`write it like "DB_PASSWORD"`);
  });

  test("a bad repository, environment or empty map is an EnvironmentSecrets error", () => {
    const message = errorOf(
      () => new EnvironmentSecrets(newStack(), "prod", { repository: "acme", environment: " ", secrets: {} }),
    );
    expect(message).toContain('EnvironmentSecrets at "stack/prod"');
    expect(message).toContain('write it like "acme/api"');
    expect(message).toContain("environment name is empty");
    expect(message).toContain("secrets is empty");
  });

  test("two names differing only in letter case are an error at synth", () => {
    const stack = newStack();
    prod(stack, { db: SecretValue.fromEnv("A"), DB: SecretValue.fromEnv("B") });
    expect(errorOf(() => Testing.synth(stack, true))).toContain(
      'declared by both "stack/prod/db" and "stack/prod/DB"',
    );
  });

  test("a name also declared by an EnvironmentSecret is a duplicate", () => {
    const stack = newStack();
    new EnvironmentSecret(stack, "db", {
      repository: "ACME/api",
      environment: "Production",
      secretName: "db_password",
      value: SecretValue.fromEnv("DB"),
    });
    prod(stack, { DB_PASSWORD: SecretValue.fromEnv("X") });
    expect(errorOf(() => Testing.synth(stack, true))).toContain(
      'declared by both "stack/db" and "stack/prod/DB_PASSWORD"',
    );
  });

  test("the 100-per-environment limit counts both constructs, across stacks", () => {
    const app = Testing.app();
    const one = newStack(app, "one");
    const two = newStack(app, "two");
    for (let i = 0; i < 40; i++) {
      new EnvironmentSecret(one, `s${i}`, {
        repository: "acme/api",
        environment: "production",
        secretName: `SINGLE_${i}`,
        value: SecretValue.fromEnv("X"),
      });
    }
    prod(one, SecretNames.fromList(Array.from({ length: 30 }, (_, i) => `ONE_${i}`)));
    prod(two, SecretNames.fromList(Array.from({ length: 30 }, (_, i) => `TWO_${i}`)));
    expect(() => Testing.synth(two, true)).not.toThrow();
    prod(two, { ONE_MORE: SecretValue.fromEnv("X") }, "extra");
    expect(errorOf(() => Testing.synth(two, true))).toContain(
      '101 secrets are declared for environment "production" of acme/api: GitHub allows at most 100',
    );
  });
});

describe("SecretNames", () => {
  test("fromList reads each value from the variable of the same name, or with a prefix", () => {
    const stack = newStack();
    prod(stack, SecretNames.fromList(["DB_PASSWORD"], { envPrefix: "PROD_" }));
    prod(stack, SecretNames.fromList(["API_KEY"]), "staging", "staging");
    expect(Testing.synth(stack)).toHaveResourceWithProperties(EnvironmentSecretResource, {
      secret_name: "DB_PASSWORD",
      value_env: "PROD_DB_PASSWORD",
    });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(EnvironmentSecretResource, {
      secret_name: "API_KEY",
      value_env: "API_KEY",
    });
  });

  test("fromList with valueFor picks any source", () => {
    const map = SecretNames.fromList(["A"], { valueFor: (name) => SecretValue.fromEnv(`X_${name}`) });
    expect(String(map.A)).toBe("SecretValue(env)");
    expect(map.A.bind(newStack())).toEqual({ valueEnv: "X_A" });
  });

  test("fromList names a bad name", () => {
    expect(errorOf(() => SecretNames.fromList(["OK", "9BAD"]))).toContain(
      `SecretNames.fromList: "9BAD": secret name "9BAD" starts with a digit`,
    );
  });

  describe("fromDotenvFile", () => {
    const file = join(tmp, "production.env");
    const CANARY = "dotenv-plaintext-canary-4Wz";
    beforeAll(() =>
      writeFileSync(
        file,
        `# production secrets\nDB_PASSWORD=${CANARY}\nexport API_KEY="${CANARY}"\n\nEMPTY=\n`,
      ),
    );

    test("takes the names and ignores the values", () => {
      const stack = newStack();
      prod(stack, SecretNames.fromDotenvFile(file, { envPrefix: "PROD_" }));
      const synth = Testing.synth(stack);
      expect(synth).not.toContain(CANARY);
      expect(
        resources(stack)
          .map((r) => [r.secret_name, r.value_env])
          .sort(),
      ).toEqual([
        ["API_KEY", "PROD_API_KEY"],
        ["DB_PASSWORD", "PROD_DB_PASSWORD"],
        ["EMPTY", "PROD_EMPTY"],
      ]);
    });

    test("uses the file's values only with unsafePlainText, with the warning; an empty one is refused", () => {
      // EMPTY= is an empty literal value, refused like any other (issue 7: an empty value is usually a mistake).
      expect(
        errorOf(() => prod(newStack(), SecretNames.fromDotenvFile(file, { unsafePlainText: true }))),
      ).toMatch(/EnvironmentSecret at "stack\/prod\/EMPTY": .* is empty/);
      const full = join(tmp, "full.env");
      writeFileSync(full, `DB_PASSWORD=${CANARY}\nexport API_KEY="${CANARY}"\n`);
      const stack = newStack();
      const set = prod(stack, SecretNames.fromDotenvFile(full, { unsafePlainText: true }));
      expect(resources(stack).find((r) => r.secret_name === "DB_PASSWORD")).toMatchObject({ value: CANARY });
      const warnings = set.secrets[0].node.metadata.filter((m) => m.type === "@cdktf/warn");
      expect(String(warnings[0]?.data)).toContain("SecretValue.unsafePlainText");
    });

    test("a bad name names the file, never a value", () => {
      const bad = join(tmp, "bad.env");
      writeFileSync(bad, `GITHUB_TOKEN=${CANARY}\n`);
      const message = errorOf(() => SecretNames.fromDotenvFile(bad));
      expect(message).toContain(`SecretNames.fromDotenvFile("${bad}"): "GITHUB_TOKEN"`);
      expect(message).not.toContain(CANARY);
    });

    test("a missing file says which path", () => {
      expect(errorOf(() => SecretNames.fromDotenvFile(join(tmp, "nope.env")))).toContain("cannot read");
    });
  });
});

describe("exclusive", () => {
  function exclusive(stack: TerraformStack, id = "prod", secrets: Record<string, SecretValue> = {}) {
    return new EnvironmentSecrets(stack, id, {
      repository: "acme/api",
      environment: "production",
      secrets,
      exclusive: true,
    });
  }

  test("adds one ghsecrets_environment_secret_set, imported, declaring every name of the app", () => {
    const app = Testing.app();
    const stack = newStack(app, "owner");
    exclusive(stack, "prod", { db: SecretValue.fromEnv("DB") });
    new EnvironmentSecret(newStack(app, "other"), "api", {
      repository: "ACME/api",
      environment: "PRODUCTION",
      secretName: "API_KEY",
      value: SecretValue.fromEnv("API_KEY"),
    });
    new EnvironmentSecret(stack, "elsewhere", {
      repository: "acme/api",
      environment: "staging",
      secretName: "NOT_HERE",
      value: SecretValue.fromEnv("X"),
    });
    const synth = JSON.parse(Testing.synth(stack)) as {
      resource: { ghsecrets_environment_secret_set: Record<string, Record<string, unknown>> };
      import: Array<{ id: string; to: string }>;
    };
    expect(Object.values(synth.resource.ghsecrets_environment_secret_set)).toEqual([
      { repository: "acme/api", environment: "production", declared_secrets: ["API_KEY", "DB"] },
    ]);
    expect(synth.import.map((i) => i.id)).toEqual(["acme/api:production"]);
  });

  test("an exclusive set may be empty (the environment holds no secret)", () => {
    const stack = newStack();
    exclusive(stack);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(EnvironmentSecretSetResource, {
      declared_secrets: [],
    });
  });

  test("two exclusive owners of one environment in one app are refused", () => {
    const app = Testing.app();
    exclusive(newStack(app, "one"));
    const two = newStack(app, "two");
    exclusive(two, "again");
    expect(errorOf(() => Testing.synth(two, true))).toContain(
      'has two exclusive owners, "one/prod" and "two/again"',
    );
  });

  test("a secret whose environment is a reference makes exclusive refuse to synthesize", () => {
    const stack = newStack();
    exclusive(stack);
    const env = new TerraformVariable(stack, "env", { type: "string" });
    new EnvironmentSecret(stack, "x", {
      repository: "acme/api",
      environment: env.stringValue,
      secretName: "X",
      value: SecretValue.fromEnv("X"),
    });
    expect(errorOf(() => Testing.synth(stack, true))).toContain("cannot tell whether to keep it");
  });

  test("exclusive needs a literal repository and environment", () => {
    const stack = newStack();
    const env = new TerraformVariable(stack, "env", { type: "string" });
    expect(
      errorOf(
        () =>
          new EnvironmentSecrets(stack, "prod", {
            repository: "acme/api",
            environment: env.stringValue,
            secrets: {},
            exclusive: true,
          }),
      ),
    ).toContain("exclusive needs repository and environment as plain strings");
  });
});
