import { repositoryKey } from "./github-rules";

/** What a token may do. The default grant is full access to every repository. */
export interface TokenGrant {
  /**
   * "write" (default) may create, change and delete; "read" may only read, and writes answer 403
   * "Resource not accessible by personal access token" with `x-accepted-github-permissions`.
   */
  access?: "read" | "write";
  /** Repositories ("owner/name") the token can see; others answer 404 as on GitHub. Default: all. */
  repositories?: string[];
}

/** Tokens accepted by the emulator, as a list (full access) or a map of token to grant. */
export type TokenConfig = string[] | Record<string, TokenGrant>;

/** The configured tokens and what each may do. Tokens are never logged or echoed. */
export class TokenRegistry {
  private readonly grants = new Map<string, TokenGrant>();

  constructor(config: TokenConfig) {
    if (Array.isArray(config)) {
      for (const token of config) this.add(token, {});
    } else {
      for (const [token, grant] of Object.entries(config)) this.add(token, grant);
    }
  }

  add(token: string, grant: TokenGrant): void {
    if (token.length === 0) throw new Error("A token must not be empty");
    this.grants.set(token, grant);
  }

  remove(token: string): void {
    this.grants.delete(token);
  }

  tokens(): string[] {
    return [...this.grants.keys()];
  }

  /** The grant for an `Authorization: token X` or `Bearer X` header, or undefined. */
  grantFor(authorization: string | undefined): TokenGrant | undefined {
    const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(authorization ?? "");
    return match ? this.grants.get(match[1]) : undefined;
  }
}

export function canSeeRepository(grant: TokenGrant, fullName: string): boolean {
  if (!grant.repositories) return true;
  const wanted = repositoryKey(fullName);
  return grant.repositories.some((r) => repositoryKey(r) === wanted);
}

export function canWrite(grant: TokenGrant): boolean {
  return (grant.access ?? "write") === "write";
}
