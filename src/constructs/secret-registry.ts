import { TerraformStack, Token } from "./cdk";
import type { IConstruct } from "constructs";
import { apiRootKey, checkSecretCount, normalizeSecretName } from "../rules";

/** Where a declared secret lands on GitHub, as given to the construct. */
export interface DeclaredSecret {
  readonly construct: IConstruct;
  readonly repository: string;
  readonly environment: string;
  readonly secretName: string;
  /**
   * The API root of the provider configuration that manages it, read when validations run (a default
   * provider may be declared after the secret); undefined while it is a token.
   */
  readonly baseUrl: () => string | undefined;
}

interface Index {
  readonly size: number;
  readonly bySecret: Map<string, DeclaredSecret[]>;
  readonly byEnvironment: Map<string, DeclaredSecret[]>;
}

interface Registry {
  readonly secrets: DeclaredSecret[];
  readonly owners: ExclusiveOwner[];
  index?: Index;
}

// One registry per construct tree (App): two stacks of one app writing the same secret would
// overwrite each other on every apply, so duplicates are looked for across the whole app.
const registries = new WeakMap<IConstruct, Registry>();

/**
 * Records a secret and adds the synth-time validations that need to see every secret of the app:
 * no two constructs may declare the same secret, and an environment holds at most 100 secrets.
 * Checks run when the app synthesizes (cdktf validations), so construction order does not matter.
 */
export function registerSecret(secret: DeclaredSecret): void {
  const registry = registryOf(secret.construct);
  registry.secrets.push(secret);
  secret.construct.node.addValidation({ validate: () => problemsOf(secret, indexOf(registry)) });
}

function registryOf(scope: IConstruct): Registry {
  const root = scope.node.root;
  let registry = registries.get(root);
  if (registry === undefined) {
    registry = { secrets: [], owners: [] };
    registries.set(root, registry);
  }
  return registry;
}

function problemsOf(secret: DeclaredSecret, index: Index): string[] {
  const keys = keysOf(secret);
  if (keys === undefined) {
    return []; // a part is only known at plan time
  }
  const problems: string[] = [];

  const same = index.bySecret.get(keys.secret) ?? [];
  const first = same[0];
  if (first !== undefined && first !== secret) {
    problems.push(
      `secret ${normalizeSecretName(secret.secretName)} of environment "${secret.environment}" in ` +
        `${secret.repository} is declared by both "${first.construct.node.path}" and "${secret.construct.node.path}" ` +
        `(on one GitHub server, which compares repository, environment and secret names case-insensitively): keep one of them, or give ` +
        `this one another secretName`,
    );
  }

  // Reported once per stack (on the stack's first secret of that environment), not once per secret.
  const group = index.byEnvironment.get(keys.environment) ?? [];
  const stack = TerraformStack.of(secret.construct);
  const firstInStack = group.find((s) => TerraformStack.of(s.construct) === stack);
  if (firstInStack === secret) {
    problems.push(...checkSecretCount(group.length, secret.environment, secret.repository));
  }
  return problems;
}

function keysOf(s: DeclaredSecret): { secret: string; environment: string } | undefined {
  const baseUrl = s.baseUrl();
  if (
    (baseUrl !== undefined && Token.isUnresolved(baseUrl)) ||
    Token.isUnresolved(s.repository) ||
    Token.isUnresolved(s.environment) ||
    Token.isUnresolved(s.secretName)
  ) {
    return undefined;
  }
  // Keyed by GitHub server too: the same names on github.com and on an Enterprise server are two secrets.
  const environment = `${apiRootKey(baseUrl)}\u0000${environmentKeyOf(s.repository, s.environment)}`;
  return { environment, secret: `${environment}\u0000${normalizeSecretName(s.secretName)}` };
}

/** GitHub compares repository and environment names without letter case. */
function environmentKeyOf(repository: string, environment: string): string {
  return `${repository.toLowerCase()}\u0000${environment.toLowerCase()}`;
}

// Validations of every secret read the same index; rebuild it only when secrets were added since.
function indexOf(registry: Registry): Index {
  if (registry.index?.size === registry.secrets.length) {
    return registry.index;
  }
  const bySecret = new Map<string, DeclaredSecret[]>();
  const byEnvironment = new Map<string, DeclaredSecret[]>();
  for (const s of registry.secrets) {
    const keys = keysOf(s);
    if (keys === undefined) {
      continue;
    }
    push(bySecret, keys.secret, s);
    push(byEnvironment, keys.environment, s);
  }
  registry.index = { size: registry.secrets.length, bySecret, byEnvironment };
  return registry.index;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) {
    map.set(key, [value]);
  } else {
    list.push(value);
  }
}

/** An `exclusive` owner of one environment's whole secret set. */
export interface ExclusiveOwner {
  readonly construct: IConstruct;
  readonly repository: string;
  readonly environment: string;
}

/**
 * Every secret name the app declares for the environment (all stacks, both constructs), upper case,
 * sorted, without repeats; a name given as a token stays a token for Terraform to resolve. Call it at
 * synth, when every construct exists.
 */
export function declaredSecretNames(scope: IConstruct, repository: string, environment: string): string[] {
  const registry = registryOf(scope);
  const key = environmentKeyOf(repository, environment);
  const names = registry.secrets
    .filter((s) => environmentKeyOf(s.repository, s.environment) === key)
    .map((s) => (Token.isUnresolved(s.secretName) ? s.secretName : normalizeSecretName(s.secretName)));
  return [...new Set(names)].sort();
}

/**
 * Records an owner of the environment's whole secret set. At synth, a second owner of the same
 * environment in the app is an error (each would delete what the other declares only if they
 * disagreed, and one of them is a mistake), and so is a secret whose repository or environment is a
 * token (it might be in this environment, and could not be kept).
 */
export function registerExclusiveOwner(owner: ExclusiveOwner): void {
  const registry = registryOf(owner.construct);
  registry.owners.push(owner);
  owner.construct.node.addValidation({
    validate: () => {
      const key = environmentKeyOf(owner.repository, owner.environment);
      const first = registry.owners.find((o) => environmentKeyOf(o.repository, o.environment) === key);
      const problems: string[] = [];
      if (first !== undefined && first !== owner) {
        problems.push(
          `environment "${owner.environment}" of ${owner.repository} has two exclusive owners, ` +
            `"${first.construct.node.path}" and "${owner.construct.node.path}": an environment's secret set can ` +
            `be owned by one construct only; keep exclusive: true on one and declare the other's secrets without it`,
        );
      }
      const unknown = registry.secrets.find(
        (s) => Token.isUnresolved(s.repository) || Token.isUnresolved(s.environment),
      );
      if (unknown !== undefined) {
        problems.push(
          `"${unknown.construct.node.path}" gives its repository or environment as a Terraform reference, so ` +
            `exclusive "${owner.construct.node.path}" cannot tell whether to keep it: give them as plain strings ` +
            `or drop exclusive`,
        );
      }
      return problems;
    },
  });
}
