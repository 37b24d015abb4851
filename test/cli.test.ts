import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../src/cli/main";
import { useTestTmp } from "./helpers/test-tmp";

// The `cdktf-github-secrets` command line, in-process: every documented invocation parses, --help
// answers on stdout, and a wrong option or command is a usage error (exit 2) that says what is wrong.

const tmp = useTestTmp("cli");

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(
    argv,
    {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      readStdin: () => {
        throw new Error("no standard input in this test");
      },
    },
    {},
  );
  return { code, stdout, stderr };
}

describe("cdktf-github-secrets", () => {
  test("--help, -h and help list every command on stdout", async () => {
    for (const argv of [["--help"], ["-h"], ["help"]]) {
      const result = await cli(...argv);
      expect(result).toMatchObject({ code: 0, stderr: "" });
      for (const command of [
        "mirror <terraform working directory>",
        "plan-report [--json]",
        "import --repository",
      ]) {
        expect(result.stdout).toContain(`cdktf-github-secrets ${command}`);
      }
    }
  });

  test("<command> --help and help <command> describe that command's options", async () => {
    for (const [command, option] of [
      ["mirror", "--platform"],
      ["plan-report", "--fail-on-delete"],
      ["import", "--base-url"],
    ]) {
      for (const argv of [
        [command, "--help"],
        ["help", command],
      ]) {
        const result = await cli(...argv);
        expect(result).toMatchObject({ code: 0, stderr: "" });
        expect(result.stdout).toMatch(new RegExp(`^usage: cdktf-github-secrets ${command} `));
        expect(result.stdout).toContain(option);
      }
    }
  });

  test("a missing or unknown command is a usage error naming the commands", async () => {
    expect(await cli()).toMatchObject({
      code: 2,
      stdout: "",
      stderr: expect.stringMatching(/^a command is missing\n/),
    });
    const unknown = await cli("mirrors", "dir");
    expect(unknown).toMatchObject({ code: 2, stdout: "" });
    expect(unknown.stderr).toMatch(/^unknown command "mirrors": use mirror, plan-report or import\n/);
  });

  test("an unknown option of any command is a usage error naming the option", async () => {
    for (const command of ["mirror", "plan-report", "import"]) {
      const result = await cli(command, "--platfrom", "linux_amd64");
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^Unknown option '--platfrom'/);
      expect(result.stderr).toContain(`usage: cdktf-github-secrets ${command}`);
    }
  });

  test("mirror needs exactly one directory", async () => {
    expect((await cli("mirror")).stderr).toMatch(/^the terraform working directory is missing\n/);
    const two = await cli("mirror", "a", "b");
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/^one directory only, got also "b"\n/);
  });

  test("mirror <dir> --platform A --platform=B writes exactly those platforms (needs `npm run build`)", async () => {
    const dir = join(tmp, "hcl");
    const result = await cli("mirror", dir, "--platform", "linux_amd64", "--platform=darwin_arm64");
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/source += "cdktf-github-secrets.local\/ghsecrets\/ghsecrets"/);
    const versions = join(dir, "terraform.d/plugins/cdktf-github-secrets.local/ghsecrets/ghsecrets");
    const [version] = readdirSync(versions);
    expect(readdirSync(join(versions, version)).sort()).toEqual(["darwin_arm64", "linux_amd64"]);
    expect(existsSync(join(versions, version, "linux_amd64", "ghsecrets-provider.cjs"))).toBe(true);
  });
});
