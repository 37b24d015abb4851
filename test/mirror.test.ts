/** writeProviderMirror: the implicit local mirror Terraform installs the provider from, offline. */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_PLATFORMS, PROVIDER_SOURCE, writeProviderMirror } from "../src/mirror";
import { pluginEnv, useEchoBundle } from "./helpers/plugin-process";
import { REPO_ROOT as ROOT } from "./helpers/terraform";

const { tmpRoot, bundlePath } = useEchoBundle("mirror");

describe("writeProviderMirror", () => {
  test("writes launcher + bundle per platform, leaves identical files alone, explains a missing bundle", () => {
    const dir = join(tmpRoot, "mirror");
    const first = writeProviderMirror(dir, { bundlePath });
    expect(first.source).toBe(PROVIDER_SOURCE);
    expect(first.version).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
    expect(first.directories.map((d) => d.split("/").pop())).toEqual(DEFAULT_PLATFORMS);
    for (const d of first.directories) {
      const files = readdirSync(d).sort();
      expect(files).toEqual(["ghsecrets-provider.cjs", `terraform-provider-ghsecrets_v${first.version}`]);
      const launcher = join(d, files[1]);
      expect(statSync(launcher).mode & 0o111).toBe(0o111);
      expect(readFileSync(launcher, "utf8")).toMatch(
        /^#!\/bin\/sh\n[\s\S]*node_bin="\$\{CDKTF_GITHUB_SECRETS_NODE:-node\}"[\s\S]*exec "\$node_bin" "\$dir\/ghsecrets-provider.cjs" "\$@"\n$/,
      );
      expect(readFileSync(join(d, files[0])).equals(readFileSync(bundlePath))).toBe(true);
    }
    const launcher = join(first.directories[0], `terraform-provider-ghsecrets_v${first.version}`);
    const noNode = spawnSync(launcher, [], {
      env: { ...process.env, CDKTF_GITHUB_SECRETS_NODE: "/nonexistent/node" },
      encoding: "utf8",
    });
    expect(noNode.status).toBe(1);
    expect(noNode.stderr).toMatch(/needs Node.js >= 20, but '\/nonexistent\/node' was not found/);
    const byHand = spawnSync(launcher, [], {
      env: pluginEnv({ CDKTF_GITHUB_SECRETS_NODE: process.execPath, TF_PLUGIN_MAGIC_COOKIE: "" }),
      encoding: "utf8",
    });
    expect(byHand.status).toBe(1);
    expect(byHand.stderr).toMatch(/started by Terraform, not by hand/);

    const bundleCopy = join(first.directories[0], "ghsecrets-provider.cjs");
    const before = statSync(bundleCopy).mtimeMs;
    writeProviderMirror(dir, { bundlePath });
    expect(statSync(bundleCopy).mtimeMs).toBe(before);
    expect(() => writeProviderMirror(dir, { bundlePath: join(tmpRoot, "missing.cjs") })).toThrow(
      /bundled Terraform provider is missing/,
    );
    expect(() => writeProviderMirror(dir, { bundlePath, platforms: ["linux amd64"] })).toThrow(
      /invalid platform/,
    );
  });
});
