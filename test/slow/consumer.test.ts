/**
 * A consumer's own project, made as a user makes it: the packed tarball installed into a fresh
 * directory outside this repository next to one of the CDK libraries a user may pick: CDK for
 * Terraform 0.21, `cdktf` aliased to CDK Terrain 0.24, and a plain CDK Terrain app importing "cdktn".
 * Each one: npm installs it with no engine warning and only what the shipped code loads; the
 * consumer's own `tsc` type-checks main.ts without @types/node; the app synthesizes; Terraform runs
 * init (offline, no lock-file warning), plan, apply and destroy from inside the stack directory against
 * the emulator of the installed package; the emulator holds the value after apply and not after destroy.
 * The package's commands (`mirror`, `import`, `plan-report`, the emulator) run through `npx` from the
 * installed tarball.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type * as Testing from "../../src/testing";
import { requireTerraform } from "../helpers/terraform";
import {
  consumerWorkDir,
  createConsumerProject,
  installConsumerProject,
  oneSecretApp,
  packLibrary,
  removeWorkDir,
  run,
  runOk,
} from "./helpers/consumer-project";

const REPO = "acme/api";
const ENV = "production";
const VALUE = "consumer-plaintext-8Rb-value";
// Terraform must need no network at all: registry look-ups go to a proxy that refuses (Go never
// proxies 127.0.0.1, so the emulator is still reached), with an empty CLI configuration.
const OFFLINE = { HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9", NO_PROXY: "" };

interface Flavor {
  readonly title: string;
  readonly dir: string;
  /** The CDK library as the consumer's package.json names it. */
  readonly dependencies: Record<string, string>;
  /** Where main.ts takes App and TerraformStack from. */
  readonly importFrom: "cdktf" | "cdktn";
  /** Packages npm must not add (a second CDK framework). */
  readonly absent: readonly string[];
}

const FLAVORS: readonly Flavor[] = [
  {
    title: "cdktf 0.21",
    dir: "cdktf-021",
    dependencies: { cdktf: "0.21.0", constructs: "10.4.2" },
    importFrom: "cdktf",
    absent: ["cdktn"],
  },
  {
    title: "cdktf aliased to cdktn 0.24",
    dir: "cdktf-alias",
    dependencies: { cdktf: "npm:cdktn@0.24.0", constructs: "10.7.0" },
    importFrom: "cdktf",
    absent: ["cdktn"],
  },
  {
    title: 'a plain cdktn 0.24 app importing "cdktn"',
    dir: "cdktn",
    dependencies: { cdktn: "0.24.0", constructs: "10.7.0" },
    importFrom: "cdktn",
    absent: ["cdktf"],
  },
];

// What a consumer's test of its own stack imports: the emulator from the testing export.
const EMULATOR_TS = `import { GithubEmulator } from "cdktf-github-secrets/testing";

export async function check(): Promise<string | undefined> {
  const emulator = await GithubEmulator.start({ repositories: { "${REPO}": ["${ENV}"] } });
  const value = emulator.getSecretValue("${REPO}", "${ENV}", "DB_PASSWORD");
  await emulator.stop();
  return value;
}
`;

/** The tsconfig of `cdktf init --template=typescript`, with no @types packages installed. */
function tsconfig(extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      compilerOptions: {
        target: "ES2018",
        module: "CommonJS",
        lib: ["es2018"],
        strict: true,
        declaration: true,
        outDir: "build",
        ...extra,
      },
      files: ["main.ts", "emulator.ts"],
    },
    null,
    2,
  );
}

let work: string;
let tarball: string;
let emulator: Testing.GithubEmulator | undefined;
const tfEnv = (): Record<string, string> => ({
  ...OFFLINE,
  TF_CLI_CONFIG_FILE: join(work, "empty.tfrc"),
  TF_IN_AUTOMATION: "1",
  GITHUB_API_URL: emulator!.url,
  GITHUB_TOKEN: emulator!.token,
  DB_PASSWORD: VALUE,
});
const hidden = (): string[] => [VALUE, emulator?.token ?? ""];

beforeAll(async () => {
  requireTerraform();
  work = consumerWorkDir("consumer");
  writeFileSync(join(work, "empty.tfrc"), "");
  tarball = await packLibrary(work);
}, 300_000);

afterAll(async () => {
  await emulator?.stop();
  removeWorkDir(work);
});

describe.each(FLAVORS)("a consumer project on $title", (flavor) => {
  let project: string;

  test("npm installs the tarball: no engine warning, no second CDK framework, only what runs", async () => {
    project = createConsumerProject(join(work, flavor.dir), {
      tarball,
      dependencies: flavor.dependencies,
      devDependencies: { typescript: "5.9.3" },
      files: {
        "main.ts": oneSecretApp({ cdkModule: flavor.importFrom, repository: REPO, environment: ENV }),
        "emulator.ts": EMULATOR_TS,
      },
    });
    const install = await installConsumerProject(project);
    expect(`${install.stdout}${install.stderr}`).not.toMatch(/EBADENGINE/);
    const modules = join(project, "node_modules");
    for (const name of flavor.absent)
      expect({ name, installed: existsSync(join(modules, name)) }).toEqual({
        name,
        installed: false,
      });
    // The provider bundle and the bundled CLI hold Octokit, gRPC and protobufjs; nothing else loads them.
    for (const name of ["@octokit", "bottleneck", "@grpc", "protobufjs", "@msgpack", "@types/node"])
      expect({ name, installed: existsSync(join(modules, name)) }).toEqual({ name, installed: false });
  });

  if (flavor.importFrom === "cdktn") {
    // The declarations name "cdktf"; README.md gives two ways for an app that imports "cdktn".
    test("tsc: the README's two tsconfig settings for a cdktn app type-check main.ts", async () => {
      writeFileSync(join(project, "tsconfig.json"), tsconfig());
      const plain = await run(join(project, "node_modules", ".bin", "tsc"), ["-p", ".", "--noEmit"], {
        cwd: project,
      });
      expect(plain.code).not.toBe(0);
      expect(plain.stdout).toMatch(/Cannot find module 'cdktf'/);
      const readme = readFileSync(join(project, "node_modules", "cdktf-github-secrets", "README.md"), "utf8");
      expect(readme).toContain('"skipLibCheck": true');
      expect(readme).toContain('"paths": { "cdktf": ["./node_modules/cdktn"] }');
      writeFileSync(join(project, "tsconfig.json"), tsconfig({ paths: { cdktf: ["./node_modules/cdktn"] } }));
      await runOk(join(project, "node_modules", ".bin", "tsc"), ["-p", ".", "--noEmit"], { cwd: project });
      writeFileSync(join(project, "tsconfig.json"), tsconfig({ skipLibCheck: true }));
      await runOk(join(project, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: project });
      expect(existsSync(join(project, "build", "main.js"))).toBe(true);
    });
  } else {
    test("the consumer's own tsc type-checks and compiles main.ts, with no @types/node", async () => {
      writeFileSync(join(project, "tsconfig.json"), tsconfig());
      await runOk(join(project, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: project });
      expect(existsSync(join(project, "build", "main.js"))).toBe(true);
    });
  }

  test("the testing export runs the emulator the consumer's tests would use", async () => {
    // Compiled by the consumer's tsc above; run by the consumer's node, from its node_modules.
    const { check } = (await import(join(project, "build", "emulator.js"))) as {
      check: () => Promise<string | undefined>;
    };
    await expect(check()).resolves.toBeUndefined();
    const installed = require(
      join(project, "node_modules", "cdktf-github-secrets", "dist", "testing"),
    ) as typeof Testing;
    await emulator?.stop();
    emulator = await installed.GithubEmulator.start({ repositories: { [REPO]: [ENV] } });
  });

  test("synth, then terraform init/plan/apply/destroy from inside the stack directory", async () => {
    await runOk(process.execPath, ["build/main.js"], { cwd: project, timeoutMs: 120_000 });
    const stack = join(project, "cdktf.out", "stacks", "secrets");
    expect(existsSync(join(stack, ".terraform.lock.hcl"))).toBe(true);
    const tf = (args: string[]) =>
      runOk("terraform", [...args, "-no-color"], {
        cwd: stack,
        env: tfEnv(),
        timeoutMs: 180_000,
        redact: hidden(),
      });

    const init = await tf(["init", "-input=false"]);
    expect(init.stdout).toMatch(/Terraform has been successfully initialized/);
    expect(`${init.stdout}${init.stderr}`).not.toMatch(/Incomplete lock file information/);
    const plan = await tf(["plan", "-input=false", "-out=tfplan"]);
    expect(plan.stdout).toMatch(/Plan: 1 to add, 0 to change, 0 to destroy/);

    // plan-report from the installed package reads the plan Terraform wrote.
    const show = await tf(["show", "-json", "tfplan"]);
    writeFileSync(join(stack, "plan.json"), show.stdout);
    const report = await runOk("npx", ["--no-install", "cdktf-github-secrets", "plan-report", "plan.json"], {
      cwd: stack,
      redact: hidden(),
    });
    expect(report.stdout).toMatch(/create/);
    expect(report.stdout).toContain("DB_PASSWORD");

    await tf(["apply", "-input=false", "tfplan"]);
    expect(emulator!.getSecretValue(REPO, ENV, "DB_PASSWORD") === VALUE).toBe(true);

    // import from the installed package: the bundled CLI lists what exists (names only).
    const imported = await runOk(
      "npx",
      ["--no-install", "cdktf-github-secrets", "import", "--repository", REPO, "--environment", ENV],
      { cwd: project, env: tfEnv(), redact: hidden() },
    );
    expect(imported.stdout).toContain('secretName: "DB_PASSWORD"');
    expect(imported.stdout).toContain(".importExisting();");

    await tf(["destroy", "-input=false", "-auto-approve"]);
    expect(emulator!.getSecretValue(REPO, ENV, "DB_PASSWORD")).toBeUndefined();
    expect(emulator!.listSecrets(REPO, ENV)).toEqual([]);

    // The plaintext reached no file synthesis or Terraform wrote.
    for (const file of ["cdk.tf.json", "terraform.secrets.tfstate", "plan.json"]) {
      const path = join(stack, file);
      const inProject = join(project, file);
      for (const p of [path, inProject])
        if (existsSync(p))
          expect({ p, leaked: readFileSync(p, "utf8").includes(VALUE) }).toEqual({ p, leaked: false });
    }
  });
});

describe("the package's commands from the installed tarball", () => {
  const project = () => join(work, FLAVORS[1]!.dir);

  test("npx cdktf-github-secrets mirror <dir>: a plain HCL configuration inits offline and plans", async () => {
    const hcl = join(work, "hcl");
    const mirror = await runOk("npx", ["--no-install", "cdktf-github-secrets", "mirror", hcl], {
      cwd: project(),
    });
    const snippet = /terraform \{[\s\S]*\n\}\n/.exec(mirror.stdout)?.[0];
    expect(snippet).toContain("cdktf-github-secrets.local/ghsecrets/ghsecrets");
    writeFileSync(
      join(hcl, "main.tf"),
      `${snippet}
provider "ghsecrets" {}

resource "ghsecrets_environment_secret" "db" {
  repository  = "${REPO}"
  environment = "${ENV}"
  secret_name = "DB_PASSWORD"
  value_env   = "DB_PASSWORD"
}
`,
    );
    const env = { cwd: hcl, env: tfEnv(), timeoutMs: 180_000, redact: hidden() };
    // What README.md tells HCL users to run in the directory they mirrored into.
    const readme = readFileSync(join(project(), "node_modules", "cdktf-github-secrets", "README.md"), "utf8");
    const { version } = JSON.parse(
      readFileSync(join(project(), "node_modules", "cdktf-github-secrets", "package.json"), "utf8"),
    ) as { version: string };
    expect(readme).toContain(`npm install ./cdktf-github-secrets-${version}.tgz`);
    await runOk(
      "terraform",
      ["providers", "lock", "-fs-mirror=terraform.d/plugins", "-platform=linux_amd64"],
      env,
    );
    const init = await runOk("terraform", ["init", "-input=false", "-no-color"], env);
    expect(`${init.stdout}${init.stderr}`).not.toMatch(/Incomplete lock file information/);
    const plan = await runOk("terraform", ["plan", "-input=false", "-no-color"], env);
    expect(plan.stdout).toMatch(/Plan: 1 to add, 0 to change, 0 to destroy/);
  });

  test("npx cdktf-github-secrets-emulator serves and prints where", async () => {
    const child = spawn(
      "npx",
      ["--no-install", "cdktf-github-secrets-emulator", "--repo", REPO, "--env", ENV],
      {
        cwd: project(),
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      },
    );
    let printed: string;
    try {
      printed = await new Promise<string>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(
          () => reject(new Error("the emulator printed no GITHUB_TOKEN in 30 s")),
          30_000,
        );
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString("utf8");
          if (/^GITHUB_TOKEN=\S+$/m.test(out)) {
            clearTimeout(timer);
            resolve(out);
          }
        });
        child.on("exit", (code) => reject(new Error(`the emulator exited with ${code}`)));
      });
    } finally {
      process.kill(-child.pid!, "SIGKILL");
    }
    const url = /^GITHUB_API_URL=(http:\/\/127\.0\.0\.1:\d+)$/m.exec(printed)?.[1];
    expect(url).toBeDefined();
  });
});
