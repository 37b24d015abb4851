import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import {
  EnvironmentSecret,
  EnvironmentSecrets,
  EnvironmentVariable,
  GithubSecretsProvider,
  SecretNames,
  SecretValue,
  ValidationError,
} from "../src";
import { useTestTmp } from "./helpers/test-tmp";

// Every input a construct (or SecretNames) refuses is a ValidationError users can catch by type,
// whose message still names where the input was given and how to fix it.

const tmp = useTestTmp("validation-error");

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a ValidationError, nothing was thrown");
}

const stack = (): TerraformStack => new TerraformStack(Testing.app(), "stack");
const secretProps = {
  repository: "acme/api",
  environment: "production",
  secretName: "DB_PASSWORD",
  value: SecretValue.fromEnv("DB_PASSWORD"),
};

const cases: Array<[string, () => unknown, string, RegExp]> = [
  [
    "EnvironmentSecret: a bad name",
    () => new EnvironmentSecret(stack(), "db", { ...secretProps, secretName: "GITHUB_X" }),
    'EnvironmentSecret at "stack/db"',
    /GITHUB_/,
  ],
  [
    "EnvironmentSecret: a bad value source (SecretValue.bind)",
    () =>
      new EnvironmentSecret(stack(), "db", { ...secretProps, value: SecretValue.fromEnv("1-not-a-name") }),
    'EnvironmentSecret at "stack/db"',
    /environment variable/i,
  ],
  [
    "EnvironmentSecrets: no secrets",
    () =>
      new EnvironmentSecrets(stack(), "prod", {
        repository: "acme/api",
        environment: "production",
        secrets: {},
      }),
    'EnvironmentSecrets at "stack/prod"',
    /secrets/,
  ],
  [
    "EnvironmentVariable: a bad repository",
    () =>
      new EnvironmentVariable(stack(), "region", {
        repository: "no-slash",
        environment: "production",
        variableName: "REGION",
        value: "eu",
      }),
    'EnvironmentVariable at "stack/region"',
    /owner\/name/,
  ],
  [
    "GithubSecretsProvider: a bad alias",
    () => new GithubSecretsProvider(stack(), "github", { alias: "not an identifier" }),
    'GithubSecretsProvider at "stack/github"',
    /alias/,
  ],
  [
    "SecretNames.fromList: a bad name",
    () => SecretNames.fromList(["9BAD"]),
    "SecretNames.fromList",
    /starts with a digit/,
  ],
  [
    "SecretNames.fromDotenvFile: a missing file",
    () => SecretNames.fromDotenvFile(join(mkdtempSync(join(tmp, "x-")), "nope.env")),
    "SecretNames.fromDotenvFile",
    /cannot read .*nope\.env/,
  ],
];

test.each(cases)("%s throws a ValidationError naming where and how to fix", (_name, fn, where, problem) => {
  const error = caught(fn);
  expect(error).toBeInstanceOf(ValidationError);
  expect(ValidationError.isValidationError(error)).toBe(true);
  const validation = error as ValidationError;
  expect(validation.name).toBe("ValidationError");
  expect(validation.where).toBe(where);
  expect(validation.message.startsWith(`${where}:`)).toBe(true);
  expect(validation.problems.length).toBeGreaterThan(0);
  expect(validation.problems.join("\n")).toMatch(problem);
});

test("several problems are listed one per line; the type check works across copies of the library", () => {
  const error = caught(
    () => new EnvironmentSecret(stack(), "db", { ...secretProps, repository: "x", secretName: "1X" }),
  ) as ValidationError;
  expect(error.problems.length).toBeGreaterThan(1);
  expect(error.message).toBe(
    `EnvironmentSecret at "stack/db":\n${error.problems.map((p) => `  - ${p}`).join("\n")}`,
  );
  // What another copy's error looks like from here: not an instance of this class, still recognised.
  const foreign = Object.defineProperty(new Error("x"), Symbol.for("cdktf-github-secrets.ValidationError"), {
    value: true,
  });
  expect(foreign).not.toBeInstanceOf(ValidationError);
  expect(ValidationError.isValidationError(foreign)).toBe(true);
  expect(ValidationError.isValidationError(new Error("x"))).toBe(false);
});
