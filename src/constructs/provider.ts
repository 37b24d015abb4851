import { TerraformProvider, TerraformStack, Token } from "./cdk";
import type { Construct, IConstruct } from "constructs";
import { constructError } from "./errors";
import { hclAttributes } from "./hcl-attributes";
import { writeMirrorOnSynth } from "./mirror-synthesis";
import { PROVIDER_SOURCE, PROVIDER_TYPE, packageVersion } from "./package-info";

/**
 * Configuration of the GitHub secrets provider. Every property is optional: with none, the provider
 * authenticates with the token in the `GITHUB_TOKEN` (or `GH_TOKEN`) environment variable of the
 * process that runs `terraform plan`/`apply`, against https://api.github.com.
 */
export interface GithubSecretsProviderProps {
  /**
   * Root of the GitHub REST API. Set it for GitHub Enterprise Server, for example
   * `https://github.example.com/api/v3`.
   *
   * @default - `GITHUB_API_URL` from the environment of terraform, else `https://api.github.com`
   */
  readonly baseUrl?: string;

  /**
   * A GitHub token, ONLY as a reference that Terraform resolves at plan/apply time, such as the value of
   * a `TerraformVariable` declared with `sensitive: true`. A literal string is rejected, because it would
   * be written in plain text to `cdk.tf.json`. Usually leave this unset and export `GITHUB_TOKEN` (or
   * `GH_TOKEN`) where terraform runs.
   *
   * The token needs write access to Actions secrets and read access to environments of the repositories
   * (classic tokens: the `repo` scope).
   *
   * @default - `GITHUB_TOKEN`, then `GH_TOKEN`, from the environment of terraform
   */
  readonly token?: string;

  /**
   * ID of a GitHub App to authenticate as, instead of a token. Needs `installationId` and a private key
   * (`privateKeyPath`, `privateKey`, or their environment variables). The App needs the "Secrets" (write)
   * and "Environments" (read) repository permissions. A number is written as a string.
   *
   * @default - `GITHUB_APP_ID` from the environment of terraform; without it, a token is used
   */
  readonly appId?: string | number;

  /**
   * ID of the GitHub App's installation on the account that owns the repositories. Used with `appId`.
   *
   * @default - `GITHUB_APP_INSTALLATION_ID` from the environment of terraform
   */
  readonly installationId?: string | number;

  /**
   * The GitHub App's private key (PEM), ONLY as a reference resolved at plan/apply time, such as the
   * value of a sensitive `TerraformVariable`. A literal string is rejected: it would land in plain text
   * in `cdk.tf.json`. Prefer `privateKeyPath`. Mutually exclusive with `privateKeyPath`.
   *
   * @default - `GITHUB_APP_PRIVATE_KEY` from the environment of terraform
   */
  readonly privateKey?: string;

  /**
   * Path of a file holding the GitHub App's private key (PEM), read by the provider at plan/apply time.
   * A relative path is resolved from the stack's working directory (`cdktf.out/stacks/<stack>`), so
   * prefer an absolute path. Mutually exclusive with `privateKey`.
   *
   * @default - `GITHUB_APP_PRIVATE_KEY_PATH` from the environment of terraform
   */
  readonly privateKeyPath?: string;

  /**
   * Name of an environment variable, set where terraform runs, that holds the GitHub App's private key
   * (PEM); the provider reads it at plan/apply time, so nothing secret is synthesized. Mutually
   * exclusive with `privateKey` and `privateKeyPath`.
   *
   * @default - `GITHUB_APP_PRIVATE_KEY`
   */
  readonly privateKeyEnv?: string;

  /**
   * Milliseconds to wait between two writes (PUT/DELETE) to GitHub. GitHub asks integrations to space
   * content-creating requests; raise this when applying many secrets hits secondary rate limits.
   *
   * @default 1000, or 0 when the API is on a loopback address (the emulator of `cdktf-github-secrets/testing`)
   */
  readonly writeDelayMs?: number;

  /**
   * How many times a request that failed with a retryable error (5xx answer, dropped connection) is
   * retried, and how many rate-limit waits (`retry-after` / `x-ratelimit-reset`) are taken, before the
   * operation fails.
   *
   * @default 3
   */
  readonly maxRetries?: number;

  /**
   * Name of an environment variable, set where terraform runs, holding a random key of at least 32
   * bytes (e.g. `openssl rand -base64 32`, kept as a CI secret). With it, each secret's
   * `value_fingerprint` is an HMAC under that key: microseconds per secret instead of an scrypt
   * derivation, and whoever reads the state cannot test a guess of a value without the key.
   * Setting, changing or removing the key rewrites every secret once with the same value; the plan
   * says so with a warning. The variable must be set for every plan and apply.
   *
   * @default - no key: value fingerprints are salted scrypt digests
   */
  readonly fingerprintKeyEnv?: string;

  /**
   * Terraform alias of this provider configuration, for a second configuration in the same stack (for
   * example another GitHub host or another App). Secrets use it only when it is passed as their
   * `provider`.
   *
   * @default - the stack's default configuration of this provider
   */
  readonly alias?: string;
}

const PROVIDER_SYMBOL = Symbol.for("cdktf-github-secrets.GithubSecretsProvider");
const IMPLICIT_ID = "GithubSecretsProvider";
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * The Terraform provider that manages GitHub Actions environment secrets (`ghsecrets`).
 *
 * The provider ships inside this package: at synth time the construct copies it into the stack's
 * output directory as an implicit local mirror, so `terraform init` finds it offline, with no CLI
 * configuration. Terraform ≥ 1.11 is required (write-only attributes).
 *
 * A stack that declares an `EnvironmentSecret` and no default provider gets one implicitly (see
 * `GithubSecretsProvider.of`); declare one yourself to configure it.
 *
 * @example
 * new GithubSecretsProvider(stack, "github", { baseUrl: "https://github.example.com/api/v3" });
 */
export class GithubSecretsProvider extends TerraformProvider {
  /** Provider type, as used by `Testing` matchers (`toHaveProvider(GithubSecretsProvider)`). */
  public static readonly tfResourceType = PROVIDER_TYPE;

  /** Whether `x` is a `GithubSecretsProvider` (works across copies of this library). */
  public static isGithubSecretsProvider(x: unknown): x is GithubSecretsProvider {
    return x !== null && typeof x === "object" && PROVIDER_SYMBOL in x;
  }

  /**
   * The default (unaliased) provider configuration of the stack that holds `scope`, created with no
   * properties if the stack has none yet.
   *
   * Why implicit: Terraform itself gives every resource without a `provider` the default configuration
   * of its provider, and this provider needs no configuration when `GITHUB_TOKEN` is set. Creating the
   * construct keeps that one-line experience while still writing the provider mirror and the
   * `required_providers` entry the stack needs. A default provider declared later replaces the implicit
   * one, so declaration order does not matter.
   */
  public static of(scope: IConstruct): GithubSecretsProvider {
    const stack = TerraformStack.of(scope);
    const existing = findDefaultProvider(stack);
    if (existing !== undefined) {
      return existing;
    }
    const created = new GithubSecretsProvider(stack, IMPLICIT_ID, {});
    created.implicit = true;
    return created;
  }

  /** Version of the bundled provider, pinned exactly in `required_providers`. */
  public readonly version: string;

  private readonly props: GithubSecretsProviderProps;
  private aliasName: string | undefined;
  private implicit = false;

  public constructor(scope: Construct, id: string, props: GithubSecretsProviderProps = {}) {
    const version = packageVersion();
    super(scope, id, {
      terraformResourceType: PROVIDER_TYPE,
      terraformGeneratorMetadata: { providerName: PROVIDER_TYPE, providerVersion: version },
      terraformProviderSource: PROVIDER_SOURCE,
    });
    Object.defineProperty(this, PROVIDER_SYMBOL, { value: true });
    this.version = version;
    this.props = props;
    this.aliasName = props.alias;

    const problems = checkProviderProps(props);
    if (problems.length > 0) {
      throw constructError("GithubSecretsProvider", this, problems);
    }

    const stack = TerraformStack.of(this);
    if (props.alias === undefined) {
      this.takeDefaultSlot(stack);
    }
    writeMirrorOnSynth(this, stack);
  }

  /** The `baseUrl` prop: the REST API root of the GitHub server, undefined for the default (github.com). */
  public get baseUrl(): string | undefined {
    return this.props.baseUrl;
  }

  /** Terraform alias of this configuration, if any. */
  public override get alias(): string | undefined {
    return this.aliasName;
  }

  /** Same checks as the `alias` prop: a Terraform identifier, and one default configuration per stack. */
  public override set alias(value: string | undefined) {
    const problems = checkProviderProps({ alias: value });
    if (problems.length > 0) {
      throw constructError("GithubSecretsProvider", this, problems);
    }
    if (value === undefined && this.aliasName !== undefined) {
      this.takeDefaultSlot(TerraformStack.of(this));
    }
    this.aliasName = value;
  }

  protected override synthesizeAttributes(): { [name: string]: unknown } {
    return this.attributes();
  }

  protected override synthesizeHclAttributes(): { [name: string]: unknown } {
    return hclAttributes(this.attributes());
  }

  private attributes(): Record<string, string | number | undefined> {
    const p = this.props;
    return {
      token: p.token,
      app_id: asStringAttribute(p.appId),
      installation_id: asStringAttribute(p.installationId),
      private_key: p.privateKey,
      private_key_path: p.privateKeyPath,
      private_key_env: p.privateKeyEnv,
      base_url: p.baseUrl,
      write_delay_ms: p.writeDelayMs,
      max_retries: p.maxRetries,
      fingerprint_key_env: p.fingerprintKeyEnv,
    };
  }

  /** Terraform allows one default configuration per provider and stack. */
  private takeDefaultSlot(stack: TerraformStack): void {
    const other = stack.node
      .findAll()
      .find(
        (c) => c !== this && GithubSecretsProvider.isGithubSecretsProvider(c) && c.alias === undefined,
      ) as GithubSecretsProvider | undefined;
    if (other === undefined) {
      return;
    }
    if (other.implicit) {
      // Secrets that relied on the implicit default never reference it (Terraform picks the default
      // configuration by itself), so swapping it for this explicit one is safe.
      other.node.scope?.node.tryRemoveChild(other.node.id);
      return;
    }
    throw constructError("GithubSecretsProvider", this, [
      `the stack already has a default GithubSecretsProvider at "${other.node.path}"; ` +
        `give this one an alias (alias: "second") and pass it as the provider of the secrets that should use it`,
    ]);
  }
}

function findDefaultProvider(stack: TerraformStack): GithubSecretsProvider | undefined {
  return stack.node
    .findAll()
    .find((c) => GithubSecretsProvider.isGithubSecretsProvider(c) && c.alias === undefined) as
    GithubSecretsProvider | undefined;
}

// GitHub shows App and installation IDs as numbers; the provider takes strings. Terraform converts
// JSON numbers too, but a number token must be turned into a string token, not "-1.8e+289".
function asStringAttribute(value: string | number | undefined): string | undefined {
  if (value === undefined || typeof value === "string") {
    return value;
  }
  return Token.isUnresolved(value) ? Token.asString(value) : String(value);
}

function checkProviderProps(p: GithubSecretsProviderProps): string[] {
  const problems: string[] = [];
  if (p.token !== undefined && !Token.isUnresolved(p.token)) {
    problems.push(
      "token is a literal string, which would be written in plain text to cdk.tf.json: remove it and export " +
        "GITHUB_TOKEN (or GH_TOKEN) where terraform runs, or pass the value of a TerraformVariable declared " +
        "with sensitive: true",
    );
  }
  if (p.privateKey !== undefined && !Token.isUnresolved(p.privateKey)) {
    problems.push(
      "privateKey is a literal string, which would be written in plain text to cdk.tf.json: use privateKeyPath, " +
        "or pass the value of a TerraformVariable declared with sensitive: true",
    );
  }
  const keySources = (["privateKey", "privateKeyPath", "privateKeyEnv"] as const).filter(
    (name) => p[name] !== undefined,
  );
  if (keySources.length > 1) {
    const named =
      keySources.length === 2
        ? `${keySources.join(" and ")} both`
        : `${keySources.slice(0, -1).join(", ")} and ${keySources.at(-1)} all`;
    problems.push(`${named} give the App's private key: keep only one of them`);
  }
  // The provider lets a token win over App settings; both in one configuration is a mistake to point out.
  const usesApp =
    p.appId !== undefined ||
    p.installationId !== undefined ||
    p.privateKey !== undefined ||
    p.privateKeyPath !== undefined ||
    p.privateKeyEnv !== undefined;
  if (usesApp && p.token !== undefined) {
    problems.push("token and GitHub App settings are both set: keep only one way to authenticate");
  }
  if (p.baseUrl !== undefined && !Token.isUnresolved(p.baseUrl) && !isHttpUrl(p.baseUrl)) {
    problems.push(
      `baseUrl "${p.baseUrl}" is not an http(s) URL: write the API root, such as https://github.example.com/api/v3`,
    );
  }
  for (const [name, value] of [
    ["writeDelayMs", p.writeDelayMs],
    ["maxRetries", p.maxRetries],
  ] as const) {
    if (value !== undefined && !Token.isUnresolved(value) && !(Number.isInteger(value) && value >= 0)) {
      problems.push(`${name} is ${value}: give a whole number of 0 or more`);
    }
  }
  if (p.alias !== undefined && !Token.isUnresolved(p.alias) && !IDENTIFIER.test(p.alias)) {
    problems.push(
      `alias "${p.alias}" is not a Terraform identifier: use letters, digits, '_' and '-', starting with a letter or '_'`,
    );
  }
  return problems;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
