// A stack of GitHub Actions environment secrets: five secrets over two environments of one repository.
//
//   npx tsx examples/basic/main.ts                      # or: npx cdktf synth
//   export GITHUB_TOKEN=...  EXAMPLE_DB_PASSWORD=... (every EXAMPLE_* variable below)
//   cd cdktf.out/stacks/example && terraform init && terraform plan
//
// Run Terraform from inside the stack directory: `terraform -chdir=...` does not see the provider
// synthesis placed in `terraform.d/plugins` there (Terraform resolves it against where it started).
//
// Values are read by the provider from the environment of `terraform plan`/`apply` (SecretValue.fromEnv):
// nothing secret is needed to synthesize, and nothing secret lands in cdk.tf.json, the plan or the state.
// In your own project, import from "cdktf-github-secrets" instead of "../../src".
import { App, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { EnvironmentSecret, GithubSecretsProvider, SecretValue } from "../../src";

class ExampleStack extends TerraformStack {
  constructor(scope: Construct, id: string, repository: string) {
    super(scope, id);

    // Optional: with no properties the provider uses GITHUB_TOKEN (or GH_TOKEN) and api.github.com,
    // and a stack without one gets it implicitly. Declared here to show where its settings go.
    new GithubSecretsProvider(this, "github", {});

    const secrets: Array<{ id: string; environment: string; name: string; env: string }> = [
      // "prod/eu" holds a slash: the provider percent-encodes environment names in API paths.
      { id: "prod-db-password", environment: "prod/eu", name: "DB_PASSWORD", env: "EXAMPLE_DB_PASSWORD" },
      { id: "prod-api-key", environment: "prod/eu", name: "API_KEY", env: "EXAMPLE_API_KEY" },
      { id: "prod-signing-key", environment: "prod/eu", name: "SIGNING_KEY", env: "EXAMPLE_SIGNING_KEY" },
      {
        id: "staging-db-password",
        environment: "staging",
        name: "DB_PASSWORD",
        env: "EXAMPLE_STAGING_DB_PASSWORD",
      },
      { id: "staging-api-key", environment: "staging", name: "API_KEY", env: "EXAMPLE_STAGING_API_KEY" },
    ];
    for (const s of secrets) {
      new EnvironmentSecret(this, s.id, {
        repository,
        environment: s.environment,
        secretName: s.name,
        value: SecretValue.fromEnv(s.env),
      });
    }
  }
}

const app = new App();
new ExampleStack(app, "example", process.env.EXAMPLE_REPOSITORY || "acme/api");
app.synth();
