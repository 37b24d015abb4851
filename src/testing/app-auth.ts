import { createPublicKey, type KeyObject, randomBytes, verify } from "node:crypto";
import type { TokenGrant } from "./auth";

/** The one GitHub App route the emulator serves: minting an installation access token. */
export const APP_TOKEN_ROUTE = "/app/installations/{installation_id}/access_tokens";
const APP_TOKEN_PATH = /^\/app\/installations\/([^/?]+)\/access_tokens(?:\?.*)?$/;

/** A GitHub App known to the emulator. */
export interface AppConfig {
  /** The App's public key as PEM (a private key PEM works too: its public half is used). */
  publicKey: string;
  /** Installation ids, each with what its installation tokens may do (default: full access). */
  installations: Record<string, TokenGrant>;
}

interface RegisteredApp {
  key: KeyObject;
  installations: Map<string, TokenGrant>;
}

export type AppTokenOutcome =
  | { status: 201; token: string; grant: TokenGrant; expiresAt: number }
  | { status: 401 | 404; message: string };

const decodePart = (part: string): Record<string, unknown> | undefined => {
  try {
    const value = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * GitHub App authentication as GitHub checks it: an RS256 JSON Web Token signed with the App's
 * private key (`iss` = App id, `exp` at most 10 minutes ahead) buys a one-hour installation token.
 */
export class AppRegistry {
  private readonly apps = new Map<string, RegisteredApp>();

  add(appId: string, config: AppConfig): void {
    this.apps.set(String(appId), {
      key: createPublicKey(config.publicKey),
      installations: new Map(Object.entries(config.installations)),
    });
  }

  /** The installation id when `method path` is the token route, else undefined. */
  static installationOf(method: string, path: string): string | undefined {
    return method === "POST" ? APP_TOKEN_PATH.exec(path)?.[1] : undefined;
  }

  mintToken(installationId: string, authorization: string | undefined, nowSeconds: number): AppTokenOutcome {
    const jwt = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
    const parts = jwt?.split(".") ?? [];
    const [header, payload] = parts.length === 3 ? [decodePart(parts[0]), decodePart(parts[1])] : [];
    if (!header || !payload || header.alg !== "RS256")
      return { status: 401, message: "A JSON web token could not be decoded" };
    const app = this.apps.get(String(payload.iss));
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    if (!app || !verify("RSA-SHA256", signed, app.key, Buffer.from(parts[2], "base64url"))) {
      return { status: 401, message: "Integration not found" };
    }
    const [iat, exp] = [Number(payload.iat), Number(payload.exp)];
    if (!(exp > nowSeconds) || !(iat <= nowSeconds + 60) || exp - iat > 600 + 60) {
      return { status: 401, message: "'Expiration time' claim ('exp') is too far in the future" };
    }
    const grant = app.installations.get(installationId);
    if (!grant) return { status: 404, message: "Not Found" };
    return {
      status: 201,
      token: `ghs_${randomBytes(18).toString("base64url")}`,
      grant,
      expiresAt: nowSeconds + 3600,
    };
  }
}
