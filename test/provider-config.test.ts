/**
 * Provider configuration below Terraform: which credential wins, what each attribute changes in
 * the client's behaviour (checked against the emulator), and the diagnostics for bad settings.
 */
import { join } from "node:path";
import { credentialsFromEnvironment } from "../src/github";
import { createLogger } from "../src/provider/framework/logger";
import type { Diagnostic, ObjectValue, ResourceContext } from "../src/provider/framework";
import {
  configureProvider,
  type ProviderData,
  validateProviderConfig,
} from "../src/provider/provider-config";
import { GithubEmulator } from "../src/testing";
import { TMP_ROOT } from "./helpers/terraform";

const PUT = "PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}";
const at = (secretName: string) => ({ repository: "acme/api", environment: "production", secretName });
const value = { kind: "plaintext" as const, value: "v" };

const ctx: ResourceContext = {
  logger: createLogger({ level: "off" }),
  signal: new AbortController().signal,
  clientCapabilities: { writeOnlyAttributesAllowed: true },
};

let emulator: GithubEmulator;
beforeEach(async () => {
  emulator = await GithubEmulator.start({ repositories: { "acme/api": ["production"] } });
});
afterEach(() => emulator.stop());

async function configured(config: ObjectValue, env: NodeJS.ProcessEnv = {}): Promise<ProviderData> {
  const result = await configureProvider(config, ctx, env);
  if (!result.data) throw new Error(`configure failed: ${JSON.stringify(result.diagnostics)}`);
  return result.data;
}

async function diagnosticsOf(config: ObjectValue, env: NodeJS.ProcessEnv = {}): Promise<Diagnostic[]> {
  const result = await configureProvider(config, ctx, env);
  expect(result.data).toBeUndefined();
  return result.diagnostics ?? [];
}

describe("credentials", () => {
  test("from the environment: GITHUB_TOKEN, then GH_TOKEN", () => {
    expect(credentialsFromEnvironment({ GITHUB_TOKEN: "a", GH_TOKEN: "b" })).toEqual({
      kind: "token",
      token: "a",
    });
    expect(credentialsFromEnvironment({ GH_TOKEN: "b" })).toEqual({ kind: "token", token: "b" });
    expect(credentialsFromEnvironment({ GITHUB_TOKEN: "", GH_TOKEN: "b" })).toEqual({
      kind: "token",
      token: "b",
    });
    expect(credentialsFromEnvironment({})).toBeUndefined();
  });

  test("the token and base_url attributes win over GITHUB_TOKEN and GITHUB_API_URL", async () => {
    const env = { GITHUB_TOKEN: "not-accepted", GITHUB_API_URL: "http://127.0.0.1:1" };
    const { lifecycle } = await configured({ token: emulator.token, base_url: emulator.url }, env);
    await lifecycle.create(at("FROM_ATTRIBUTES"), value);
    expect(emulator.getSecretValue("acme/api", "production", "FROM_ATTRIBUTES")).toBe("v");
  });

  test("GITHUB_API_URL and GH_TOKEN are used when no attribute is set", async () => {
    const { lifecycle } = await configured({}, { GH_TOKEN: emulator.token, GITHUB_API_URL: emulator.url });
    await lifecycle.create(at("FROM_ENVIRONMENT"), value);
    expect(emulator.getSecretValue("acme/api", "production", "FROM_ENVIRONMENT")).toBe("v");
  });

  test("no credential at all: one diagnostic that names every way to give one", async () => {
    const [only, ...rest] = await diagnosticsOf({}, {});
    expect(rest).toEqual([]);
    expect(only.summary).toBe("No GitHub credentials");
    expect(only.detail).toMatch(/GITHUB_TOKEN \(or GH_TOKEN\)/);
    expect(only.detail).toMatch(
      /app_id, installation_id and private_key, private_key_env or private_key_path/,
    );
  });

  test("incomplete GitHub App settings name what is missing", async () => {
    const [d] = await diagnosticsOf({ app_id: "1" }, {});
    expect(d.summary).toBe(
      "Incomplete GitHub App credentials: set installation_id, private_key, private_key_env or private_key_path",
    );
  });

  test("an unreadable key file and an unset private_key_env point at their attribute", async () => {
    const missingFile = join(TMP_ROOT, "no-such-key.pem");
    const [file] = await diagnosticsOf(
      { app_id: "1", installation_id: "2", private_key_path: missingFile },
      {},
    );
    expect(file).toMatchObject({
      summary: `Cannot read the GitHub App private key file ${missingFile}`,
      detail: "ENOENT",
      attribute: "private_key_path",
    });
    const [variable] = await diagnosticsOf(
      { app_id: "1", installation_id: "2", private_key_env: "APP_KEY" },
      {},
    );
    expect(variable).toMatchObject({ attribute: "private_key_env" });
    expect(variable.summary).toMatch(/APP_KEY \(private_key_env\) is not set/);
  });
});

describe("pacing and retries", () => {
  test("write_delay_ms spaces writes, also on a loopback API (where the default is no delay)", async () => {
    const timeThreeWrites = async (config: ObjectValue) => {
      const { lifecycle } = await configured({ token: emulator.token, base_url: emulator.url, ...config });
      await lifecycle.create(at("WARM_UP"), value); // key fetch and first connection out of the way
      const started = Date.now();
      await Promise.all(["A", "B", "C"].map((name) => lifecycle.create(at(name), value)));
      return Date.now() - started;
    };
    // Wide margins: the machine may be busy (a tight bound failed at load 20 on 2 cores).
    expect(await timeThreeWrites({ write_delay_ms: 1000 })).toBeGreaterThanOrEqual(1900);
    expect(await timeThreeWrites({})).toBeLessThan(1900);
  });

  test("max_retries bounds how often a 5xx is retried", async () => {
    for (const [maxRetries, attempts] of [
      [0, 1],
      [1, 2],
    ] as const) {
      const { lifecycle } = await configured({
        token: emulator.token,
        base_url: emulator.url,
        max_retries: maxRetries,
      });
      await lifecycle.create(at("KEYED"), value);
      emulator.resetRequestCounts();
      emulator.injectFault({ kind: "status", status: 502, count: 10, match: { method: "PUT" } });
      await expect(lifecycle.create(at("FLAKY"), value)).rejects.toThrow(/acme\/api/);
      expect(emulator.requestCounts()[PUT]).toBe(attempts);
      emulator.clearFaults();
    }
  });
});

describe("fingerprint_key_env", () => {
  const key = "0123456789abcdef0123456789abcdef";
  test("unset: scrypt fingerprints; naming a variable that holds a key: keyed (HMAC) fingerprints", async () => {
    const base = { token: emulator.token, base_url: emulator.url };
    expect((await configured(base)).fingerprints.mode).toBe("scrypt");
    const keyed = await configured({ ...base, fingerprint_key_env: "FP_KEY" }, { FP_KEY: key });
    expect(keyed.fingerprints.mode).toBe("keyed");
    expect(await keyed.fingerprints.fingerprint("v")).toMatch(/^hmac1\$/);
  });

  test("a variable that is not set, or a short key: an error on the attribute saying what to do", async () => {
    const base = { token: emulator.token, base_url: emulator.url, fingerprint_key_env: "FP_KEY" };
    const [missing] = await diagnosticsOf(base, {});
    expect(missing).toMatchObject({
      severity: "error",
      attribute: "fingerprint_key_env",
      summary: "The environment variable FP_KEY (fingerprint_key_env) is not set",
    });
    expect(missing.detail).toMatch(/Export FP_KEY .* or remove fingerprint_key_env/);
    const [short] = await diagnosticsOf(base, { FP_KEY: "too-short" });
    expect(short).toMatchObject({ attribute: "fingerprint_key_env" });
    expect(short.summary).toMatch(/too short/);
    expect(short.detail).toMatch(/9 bytes long; it must be at least 32 .*openssl rand -base64 32/);
    expect(JSON.stringify(short)).not.toContain("too-short");
  });
});

describe("validateProviderConfig", () => {
  test("numbers must be whole and not negative; one private key source at most", () => {
    expect(validateProviderConfig({ write_delay_ms: 250, max_retries: 0 })).toEqual([]);
    expect(validateProviderConfig({ write_delay_ms: -1, max_retries: 1.5 }).map((d) => d.attribute)).toEqual([
      "write_delay_ms",
      "max_retries",
    ]);
    const [both] = validateProviderConfig({ private_key: "k", private_key_env: "APP_KEY" });
    expect(both).toMatchObject({ attribute: "private_key_env" });
    expect(both.summary).toBe(
      "Give only one of private_key, private_key_env: each is a way to give the App's private key",
    );
  });
});

describe("base_url and request_timeout_ms (issue 7)", () => {
  test.each(["api.github.com", "not a url", "ftp://github.example.com"])(
    "base_url %j is refused at validate, pointing at the attribute",
    (baseUrl) => {
      const [problem] = validateProviderConfig({ base_url: baseUrl });
      expect(problem).toMatchObject({ severity: "error", attribute: "base_url" });
      expect(problem.summary).toMatch(
        /^Invalid base_url: base URL .* is not an http\(s\) URL: give the REST API root/,
      );
    },
  );

  test("an invalid GITHUB_API_URL is refused at configure, naming the variable", async () => {
    const [problem] = await diagnosticsOf(
      {},
      { GITHUB_TOKEN: "t", GITHUB_API_URL: "github.example.com/api/v3" },
    );
    expect(problem.summary).toMatch(
      /^Invalid GITHUB_API_URL: base URL "github.example.com\/api\/v3" is not an http\(s\) URL/,
    );
  });

  test("request_timeout_ms bounds each attempt; 0 and fractions are refused", async () => {
    expect(validateProviderConfig({ request_timeout_ms: 0 }).map((d) => d.attribute)).toEqual([
      "request_timeout_ms",
    ]);
    expect(validateProviderConfig({ request_timeout_ms: 2.5 }).map((d) => d.attribute)).toEqual([
      "request_timeout_ms",
    ]);
    emulator.injectFault({ kind: "delay", ms: 10_000, count: Infinity, match: { method: "GET" } });
    const { lifecycle } = await configured({
      token: emulator.token,
      base_url: emulator.url,
      request_timeout_ms: 200,
      max_retries: 1,
    });
    const started = Date.now();
    const error = (await lifecycle.create(at("A"), value).catch((e: unknown) => e)) as Error;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.message).toMatch(/did not answer within 0\.2 s on any of 2 attempts/);
  });
});

test("max_rate_limit_wait_seconds raises the bound the rate-limit message names (issue 7)", async () => {
  emulator.injectFault({ kind: "secondaryRateLimit", retryAfter: 1200, match: { method: "PUT" } });
  const { lifecycle } = await configured({ token: emulator.token, base_url: emulator.url });
  const refused = (await lifecycle.create(at("A"), value).catch((e: unknown) => e)) as Error;
  expect(refused.message).toMatch(/raise the provider's max_rate_limit_wait_seconds to at least 1200/);
  expect(validateProviderConfig({ max_rate_limit_wait_seconds: -5 }).map((d) => d.attribute)).toEqual([
    "max_rate_limit_wait_seconds",
  ]);
  // The attribute sets the bound the message names.
  emulator.injectFault({ kind: "secondaryRateLimit", retryAfter: 2, match: { method: "PUT" } });
  const strict = await configured({
    token: emulator.token,
    base_url: emulator.url,
    max_rate_limit_wait_seconds: 1,
  });
  const error = (await strict.lifecycle.create(at("B"), value).catch((e: unknown) => e)) as Error;
  expect(error.message).toMatch(/asks to wait 2 s, longer than the 1 s allowed/);
});
