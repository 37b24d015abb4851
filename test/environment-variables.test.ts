// Environment variables: the emulator's routes over HTTP, the construct at synth, and its
// importExisting() planned by the real terraform. The resource's lifecycle (create, drift, deletion
// outside, import, diagnostics) is in the fast tier: test/resource-environment-variable.test.ts.
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { EnvironmentVariable, EnvironmentVariableResource } from "../src";
import { GithubEmulator } from "../src/testing";
import { useCdktfE2e } from "./helpers/cdktf-e2e";
import { errorOf } from "./helpers/test-tmp";

Testing.setupJest();
jest.setTimeout(180_000);

const e2e = useCdktfE2e("environment-variables", { "acme/api": ["production", "prod/eu"] });

describe("emulator routes", () => {
  let emulator: GithubEmulator;
  beforeAll(async () => {
    emulator = await GithubEmulator.start({ repositories: { "acme/api": ["prod/eu"] } });
  });
  afterAll(() => emulator.stop());

  const path = "/repos/acme/api/environments/prod%2Feu/variables";
  async function call(method: string, suffix = "", body?: unknown) {
    const response = await fetch(`${emulator.url}${path}${suffix}`, {
      method,
      headers: { authorization: `Bearer ${emulator.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
      link: response.headers.get("link"),
    };
  }

  test("POST creates (409 when it exists), PATCH changes (404 when missing), DELETE removes (404 after)", async () => {
    expect((await call("POST", "", { name: "region", value: "eu" })).status).toBe(201);
    expect((await call("POST", "", { name: "REGION", value: "us" })).status).toBe(409);
    expect((await call("GET", "/Region")).body).toMatchObject({ name: "REGION", value: "eu" });
    expect((await call("PATCH", "/REGION", { value: "us" })).status).toBe(204);
    expect(emulator.getVariableValue("acme/api", "prod/eu", "region")).toBe("us");
    expect((await call("PATCH", "/NOPE", { value: "x" })).status).toBe(404);
    expect((await call("DELETE", "/REGION")).status).toBe(204);
    expect((await call("DELETE", "/REGION")).status).toBe(404);
  });

  test("GitHub's name rules and the 30-per-page listing", async () => {
    expect((await call("POST", "", { name: "GITHUB_X", value: "x" })).status).toBe(422);
    expect((await call("POST", "", { name: "1X", value: "x" })).status).toBe(422);
    for (let i = 0; i < 35; i++) emulator.setVariableOutOfBand("acme/api", "prod/eu", `V_${i}`, String(i));
    const first = await call("GET", "?per_page=100");
    expect(first.body.total_count).toBe(35);
    expect(first.body.variables).toHaveLength(30);
    expect(first.link).toContain('rel="next"');
  });
});

describe("EnvironmentVariable construct", () => {
  test("synthesizes the variable with its name upper-cased", () => {
    const stack = e2e.newStack("synth");
    new EnvironmentVariable(stack, "region", {
      repository: "acme/api",
      environment: "production",
      variableName: "deploy_region",
      value: "eu-west-1",
    });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(EnvironmentVariableResource, {
      variable_name: "DEPLOY_REGION",
      value: "eu-west-1",
    });
  });

  test("bad input names the construct and the fix", () => {
    const message = errorOf(
      () =>
        new EnvironmentVariable(e2e.newStack("bad"), "v", {
          repository: "acme",
          environment: "production",
          variableName: "GITHUB_X",
          value: "x".repeat(49 * 1024),
        }),
    );
    expect(message).toContain('EnvironmentVariable at "bad/v"');
    expect(message).toContain('write it like "acme/api"');
    expect(message).toContain('variable name "GITHUB_X" starts with GITHUB_');
    expect(message).toContain("variable value is 50176 bytes");
  });
});

describe("with terraform", () => {
  function variableStack(id: string, value: string, importExisting = false) {
    const stack = e2e.newStack(id);
    const variable = new EnvironmentVariable(stack, "region", {
      repository: "acme/api",
      environment: "prod/eu",
      variableName: "DEPLOY_REGION",
      value,
    });
    if (importExisting) variable.importExisting();
    return e2e.synth(stack);
  }

  test("importExisting adopts a variable: an import, and an update only when the value differs", async () => {
    e2e.emulator.setVariableOutOfBand("acme/api", "prod/eu", "DEPLOY_REGION", "eu-west-1");
    const same = variableStack("import-same", "eu-west-1", true);
    await e2e.terraform(same, "init", "-input=false");
    const plan = await e2e.terraform(same, "plan", "-input=false");
    expect(plan.stdout).toContain("ghsecrets_environment_variable.region will be imported");
    expect(plan.stdout).toContain("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.");

    const other = variableStack("import-other", "ap-south-1", true);
    await e2e.terraform(other, "init", "-input=false");
    const changed = await e2e.terraform(other, "plan", "-input=false");
    expect(changed.stdout).toContain("Plan: 1 to import, 0 to add, 1 to change, 0 to destroy.");
    await e2e.terraform(other, "apply", "-input=false", "-auto-approve");
    expect(e2e.emulator.getVariableValue("acme/api", "prod/eu", "DEPLOY_REGION")).toBe("ap-south-1");
  });
});
