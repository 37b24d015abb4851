// The layers of README.md ("Layers"), enforced (`npm run layers`, run by .ci/run):
//   constructs -> provider -> lifecycle -> github | crypto -> rules;  testing apart.
// A layer imports only the layers below it. Entry points (src/index.ts, src/cli.ts,
// src/provider/main.ts) wire layers together and may import any layer but testing.
const layer = (name) => `^src/${name}/`;
const LAYERS = ["constructs", "provider", "lifecycle", "github", "crypto", "rules", "mirror", "testing"];

// GitHub's published numbers (48 KB, 100 secrets, 255 characters): data, not logic, so even the
// emulator, which otherwise shares nothing with what it tests, reads them from their one definition.
const SHARED_WITH_EVERY_LAYER = "^src/rules/github-limits\\.ts$";

/** A rule forbidding `from` to import any folder of `src` not listed in `allowed`. */
function only(from, allowed, comment) {
  const forbidden = LAYERS.filter((l) => l !== from && !allowed.includes(l));
  return {
    name: `${from}-imports-only-${allowed.length ? allowed.join("-") : "itself"}`,
    comment,
    severity: "error",
    from: { path: layer(from) },
    to: { path: `^src/(${forbidden.join("|")})/|^src/[^/]+\\.ts$`, pathNot: SHARED_WITH_EVERY_LAYER },
  };
}

module.exports = {
  forbidden: [
    only(
      "constructs",
      ["rules", "mirror"],
      "Constructs know cdktf and the rules; never Octokit, gRPC or the provider's code.",
    ),
    only(
      "provider",
      ["lifecycle", "mirror"],
      "The provider knows the protocol and the lifecycle; GitHub, crypto and rules only through lifecycle.",
    ),
    only("lifecycle", ["github", "crypto", "rules"], "The lifecycle never knows Terraform or cdktf."),
    only(
      "github",
      ["rules"],
      "The GitHub client knows Octokit and the rules; never Terraform (no provider attribute names).",
    ),
    only("crypto", ["rules"], "Crypto knows libsodium and the rules."),
    only("rules", [], "Rules are pure: they import nothing of the project."),
    only("mirror", [], "Placing the bundled provider needs nothing of the other layers."),
    only(
      "testing",
      [],
      "The emulator models GitHub on its own: it shares no code with what it tests, only GitHub's published limits.",
    ),
    {
      name: "nothing-imports-testing",
      comment: "The emulator is for tests (ours and users'); product code never loads it.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/testing/" },
      to: { path: "^src/testing/" },
    },
    {
      name: "provider-framework-below-server-and-resources",
      comment:
        "The framework (what resource code is written against) never loads the gRPC server or a resource.",
      severity: "error",
      from: { path: "^src/provider/(framework|protocol)/" },
      to: {
        path: "^src/provider/(server|main|ghsecrets-provider|provider-config)\\.ts$|^src/provider/resources/",
      },
    },
    {
      name: "resources-through-framework",
      comment: "Resource code uses the framework's entry point, not the protocol plumbing or the server.",
      severity: "error",
      from: { path: "^src/provider/resources/" },
      to: { path: "^src/provider/(protocol/|server\\.ts$)" },
    },
    {
      name: "no-circular",
      comment: "A cycle of runtime imports loads a half-initialised module; type-only cycles are erased.",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    includeOnly: "^src/",
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.build.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".json"] },
  },
};
