import { TerraformStack, Token } from "cdktf";
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
  const root = secret.construct.node.root;
  let registry = registries.get(root);
  if (registry === undefined) {
    registry = { secrets: [] };
    registries.set(root, registry);
  }
  registry.secrets.push(secret);
  const reg = registry;
  secret.construct.node.addValidation({ validate: () => problemsOf(secret, indexOf(reg)) });
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
  const environment = `${apiRootKey(baseUrl)}\u0000${s.repository.toLowerCase()}\u0000${s.environment.toLowerCase()}`;
  return { environment, secret: `${environment}\u0000${normalizeSecretName(s.secretName)}` };
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
