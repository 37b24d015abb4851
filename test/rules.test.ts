import {
  checkEnvironmentName,
  checkRepository,
  checkSecretCount,
  checkSecretName,
  checkValueSize,
  formatImportId,
  isEnvVarName,
  isStandardBase64,
  normalizeSecretName,
  parseImportId,
  parseRepository,
} from "../src/rules";

describe("secret names", () => {
  test.each(["DB_PASSWORD", "_x", "a1", "db_password"])("%s is valid", (name) => {
    expect(checkSecretName(name)).toEqual([]);
  });
  test("a leading digit is refused with a fix", () => {
    expect(checkSecretName("1PASS")).toEqual([
      expect.stringContaining("starts with a digit: start it with a letter or '_'"),
    ]);
  });
  test("other characters are refused and a replacement suggested", () => {
    expect(checkSecretName("db-pass.word")).toEqual([
      expect.stringContaining('write it like "db_pass_word"'),
    ]);
  });
  test("the GITHUB_ prefix is reserved in any case", () => {
    expect(checkSecretName("github_token")).toEqual([
      expect.stringContaining("GITHUB_, which GitHub reserves"),
    ]);
  });
  test("empty names are refused", () => {
    expect(checkSecretName("")).toHaveLength(1);
  });
  test("names are normalized to upper case", () => {
    expect(normalizeSecretName("db_Password")).toBe("DB_PASSWORD");
  });
});

describe("environment names", () => {
  test.each(["production", "prod/us-east", "staging env", "ünïcödé"])("%s is valid", (env) => {
    expect(checkEnvironmentName(env)).toEqual([]);
  });
  test("empty is refused", () => {
    expect(checkEnvironmentName(" ")[0]).toMatch(/empty/);
  });
  test("255 characters are allowed, 256 are not (counted as characters, not bytes)", () => {
    expect(checkEnvironmentName("é".repeat(255))).toEqual([]);
    expect(checkEnvironmentName("é".repeat(256))[0]).toMatch(
      /256 characters long: GitHub allows at most 255/,
    );
  });
  test.each([".", "..", "%2e%2e", ".%2E", "%2e"])(
    "%s is refused: it would change the request's path (issue 7)",
    (env) => {
      expect(checkEnvironmentName(env)[0]).toMatch(/would address the repository instead of an environment/);
    },
  );
  test.each(["...", "a/../b", "..a", "v1.2", "?", "#"])(
    "%s is a valid name: the client encodes it into one path segment",
    (env) => {
      expect(checkEnvironmentName(env)).toEqual([]);
    },
  );
  test.each(["prod\n", "pro\u0000d", "\u001b[2Kprod", "prod\u007f", "prod\u0085"])(
    "a control character is refused without printing it raw (%j)",
    (env) => {
      const [problem] = checkEnvironmentName(env);
      expect(problem).toMatch(/control character U\+00[0-9A-F]{2} at character \d+/);
      expect(problem).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    },
  );
});

describe("repositories", () => {
  test("owner/name is accepted and split", () => {
    expect(checkRepository("acme/api.v2")).toEqual([]);
    expect(parseRepository("acme/api")).toEqual({ owner: "acme", name: "api" });
  });
  test.each(["acme", "acme/", "/api", "a/b/c"])("%s is refused with the expected form", (repo) => {
    expect(checkRepository(repo)[0]).toMatch(/owner\/name: write it like "acme\/api"/);
  });
  test("bad owner and name characters are named", () => {
    expect(checkRepository("-acme/a b")).toHaveLength(2);
    expect(() => parseRepository("nope")).toThrow(/owner\/name/);
  });
});

describe("limits", () => {
  test("GitHub's limits: one definition, the same from both entry points and the emulator", () => {
    const rules = require("../src/rules") as Record<string, unknown>;
    const main = require("../src") as Record<string, unknown>;
    const testing = require("../src/testing") as Record<string, unknown>;
    const limits = {
      MAX_SECRET_VALUE_BYTES: 48 * 1024,
      MAX_SECRETS_PER_ENVIRONMENT: 100,
      MAX_ENVIRONMENT_NAME_LENGTH: 255,
    };
    for (const [name, value] of Object.entries(limits)) {
      expect([name, rules[name], testing[name]]).toEqual([name, value, value]);
      if (name in main) expect([name, main[name]]).toEqual([name, value]);
    }
    expect(Object.keys(main).filter((name) => name.startsWith("MAX_"))).toEqual([
      "MAX_SECRETS_PER_ENVIRONMENT",
      "MAX_SECRET_VALUE_BYTES",
    ]);
  });
  test("values are measured in UTF-8 bytes", () => {
    expect(checkValueSize("a".repeat(48 * 1024))).toEqual([]);
    expect(checkValueSize("é".repeat(24 * 1024 + 1))[0]).toMatch(/49154 bytes: GitHub allows at most 49152/);
  });
  test("the message never quotes the value", () => {
    const value = "SUPER-SECRET-" + "x".repeat(50000);
    expect(checkValueSize(value)[0]).not.toContain("SUPER-SECRET");
  });
  test("at most 100 secrets per environment", () => {
    expect(checkSecretCount(100, "production", "acme/api")).toEqual([]);
    expect(checkSecretCount(101, "production", "acme/api")[0]).toMatch(
      /101 secrets .* "production" of acme\/api/,
    );
  });
});

describe("import ids", () => {
  test.each(["production", "prod/us-east", "staging env", "ünïcödé", "deploy:eu", "a:b:c"])(
    "round trip for %s",
    (environment) => {
      const address = { repository: "acme/api", environment, secretName: "DB_PASSWORD" };
      expect(parseImportId(formatImportId(address))).toEqual(address);
    },
  );
  test("formatting upper-cases the name; parsing keeps the spelling for the configuration to match", () => {
    expect(
      formatImportId({ repository: "acme/api", environment: "production", secretName: "db_password" }),
    ).toBe("acme/api:production:DB_PASSWORD");
    expect(parseImportId("acme/api:production:db_password").secretName).toBe("db_password");
  });
  test.each(["", "acme/api", "acme/api:production", ":production:X", "acme/api::X", "acme/api:production:"])(
    "%p is refused with the expected form",
    (id) => {
      expect(() => parseImportId(id)).toThrow(/owner\/repo:environment:SECRET_NAME/);
    },
  );
});

describe("formats written once for the constructs, the provider and crypto", () => {
  test("environment variable names", () => {
    for (const ok of ["A", "_", "DB_PASSWORD", "lower_9"]) expect(isEnvVarName(ok)).toBe(true);
    for (const bad of ["", "9LIVES", "A-B", "A B", "Ä", "A\n"]) expect(isEnvVarName(bad)).toBe(false);
  });

  test("standard padded base64", () => {
    for (const ok of ["", "AAAA", "AA==", "AAA=", "a+/9"]) expect(isStandardBase64(ok)).toBe(true);
    for (const bad of ["A", "AA", "AA=", "a-_9", "AA AA", "AAAA\n", "A==="]) {
      expect(isStandardBase64(bad)).toBe(false);
    }
  });
});
