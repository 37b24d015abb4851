/**
 * SecretValue.fromJsonEnv at synth (the attributes it writes, its checks) and what EnvironmentSecret
 * exposes for a plan review: the value source in plan-report's words and the resource address.
 */
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { EnvironmentSecret, SecretValue } from "../src";
import { useTestTmp } from "./helpers/test-tmp";

useTestTmp("value-source");

function secretIn(stack: TerraformStack, id: string, value: SecretValue): EnvironmentSecret {
  return new EnvironmentSecret(stack, id, {
    repository: "acme/api",
    environment: "production",
    secretName: id.toUpperCase(),
    value,
  });
}

test("fromJsonEnv writes value_env and value_json_key, nothing else that carries a value", () => {
  const stack = new TerraformStack(Testing.app(), "stack");
  secretIn(stack, "db_password", SecretValue.fromJsonEnv("REPOSITORY_SECRETS", "DB_PASSWORD"));
  const resource = JSON.parse(Testing.synth(stack)).resource.ghsecrets_environment_secret.db_password;
  expect(resource).toEqual({
    repository: "acme/api",
    environment: "production",
    secret_name: "DB_PASSWORD",
    value_env: "REPOSITORY_SECRETS",
    value_json_key: "DB_PASSWORD",
  });
});

test("fromJsonEnv refuses a bad variable name or an empty key, saying how to fix it", () => {
  const stack = new TerraformStack(Testing.app(), "stack");
  expect(() => secretIn(stack, "a", SecretValue.fromJsonEnv("ALL-SECRETS", "A"))).toThrow(
    /"ALL-SECRETS" is not an environment variable name: use letters, digits and '_'/,
  );
  expect(() => secretIn(stack, "b", SecretValue.fromJsonEnv("ALL", ""))).toThrow(
    /the key is empty: give the member of the JSON object that holds the value/,
  );
});

test("EnvironmentSecret exposes its value source in plan-report's words and its plan address", () => {
  const stack = new TerraformStack(Testing.app(), "stack");
  const pw = new TerraformVariable(stack, "api_key", { type: "string", sensitive: true });
  const sources: Array<[SecretValue, string]> = [
    [SecretValue.fromEnv("DB_PASSWORD"), "env DB_PASSWORD"],
    [SecretValue.fromJsonEnv("REPOSITORY_SECRETS", "DB_PASSWORD"), "env REPOSITORY_SECRETS, key DB_PASSWORD"],
    [SecretValue.fromVariable(pw), "variable api_key"],
    [SecretValue.fromToken(pw.stringValue), "reference"],
  ];
  sources.forEach(([value, label], i) => {
    const s = secretIn(stack, `s${i}`, value);
    expect(s.valueSource).toBe(label);
    expect(s.terraformAddress).toBe(`ghsecrets_environment_secret.s${i}`);
  });
});
