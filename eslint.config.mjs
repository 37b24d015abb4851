// ESLint (flat config) with typescript-eslint's type-aware rules: the checks a type-checker alone
// misses (floating promises, unsafe `any` flowing into typed code, misused async callbacks).
// Formatting is Prettier's job (`npm run format:check`), so no stylistic rules here.
import eslint from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["dist/", "coverage/", "node_modules/", "**/cdktf.out/", "**/.gen/", "**/.tmp/"],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        // TypeScript sources through tsconfig.json; plain JS (bench, scripts, configs) through
        // tsconfig.scripts.json, the same programs `npm run typecheck` checks.
        project: ["./tsconfig.json", "./tsconfig.scripts.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Unused names are an error, except the `_`-prefixed ones kept for a signature's shape.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      // `import x = require()` is TypeScript's import of a live CommonJS module object (libsodium).
      "@typescript-eslint/no-require-imports": ["error", { allowAsImport: true }],
      // Passing on what a `catch` or an AbortSignal handed over (typed any/unknown) is forwarding,
      // not inventing a non-Error; creating a non-Error stays forbidden.
      "@typescript-eslint/only-throw-error": [
        "error",
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      // A `never` in a message is the defensive branch for input the types say cannot happen
      // (a snapshot file from elsewhere): exactly where the message matters.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNever: true }],
      "@typescript-eslint/prefer-promise-reject-errors": [
        "error",
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      // An `async` method with no `await` is how a handler meets a Promise-returning interface
      // (the gRPC service, Terraform's RPCs); flagging it adds noise, not safety.
      "@typescript-eslint/require-await": "off",
      eqeqeq: ["error", "always", { null: "ignore" }],
      // Names and paths are checked for control characters on purpose (GitHub refuses them).
      "no-control-regex": "off",
    },
  },
  {
    // Tests read JSON (state files, plans, emulator replies) whose shape the assertion itself
    // checks, and plain JS has no types to flow: the `no-unsafe-*` family would only ask for casts
    // there. The floating-promise and misused-promise rules stay on everywhere.
    files: ["test/**", "**/*.js", "**/*.mjs", "**/*.cjs"],
    rules: {
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // Types inferred from plain JS are too loose (tuples become unions) for this rule to be right.
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    rules: { "@typescript-eslint/restrict-template-expressions": "off" },
  },
  {
    // Tests throw non-Errors and print values on purpose (to prove they never leak), spy on core
    // modules through require(), and hand Jest unbound methods as predicates.
    files: ["test/**"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/only-throw-error": "off",
      "@typescript-eslint/restrict-template-expressions": "off",
      "@typescript-eslint/unbound-method": "off",
      // A cast on parsed JSON documents the shape a test expects; harmless when redundant.
      "@typescript-eslint/no-unnecessary-type-assertion": "off",
    },
  },
  {
    // The RPC handlers take Terraform's messages as decoded by protobufjs, typed `Message`
    // (`Record<string, any>`) in protocol/messages.ts: every field read there is `any` until the
    // wire protocol gets static types. Everything past the decode is typed and checked.
    files: ["src/provider/framework/provider-service.ts", "src/provider/protocol/values.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
    },
  },
  {
    // The constructs extend whichever CDK library the app installed (cdktf or cdktn), loaded at run
    // time by src/constructs/cdk.ts. A value import of "cdktf" anywhere else in src would load cdktf
    // itself: a crash in an app that has only cdktn, and two copies of the classes in one that has both.
    files: ["src/**/*.ts"],
    ignores: ["src/constructs/cdk.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "cdktf",
              message: 'Import CDK values from "./cdk" (types from "cdktf" are fine: `import type`).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // CommonJS files (Jest configs and reporter) load modules with require().
    files: ["**/*.js", "**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
