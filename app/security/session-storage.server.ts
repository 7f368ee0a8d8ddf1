// Shopify sessions with their offline access and refresh tokens encrypted at rest (docs/decisions/0109).
// A wrapper around @shopify/shopify-app-session-storage-prisma (9.0.1 stores the tokens in Session.accessToken
// and Session.refreshToken): tokens are sealed before the library writes the row and opened after it reads one.
// Rows written before (plaintext tokens) still load; they are sealed by `npm run secrets:reencrypt`, and on first
// load by this wrapper.
import { Session } from "@shopify/shopify-app-remix/server";
import type { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { decryptSecret, encryptSecret, isSealed } from "./secrets.server";
import { sessionToken } from "./encrypted-columns.server";

type Inner = Pick<PrismaSessionStorage<never>, "storeSession" | "loadSession" | "deleteSession" | "deleteSessions" | "findSessionsByShop" | "isReady">;

function sealed(session: Session): Session {
  const copy = new Session(session.toObject());
  if (session.accessToken) copy.accessToken = encryptSecret(session.accessToken, sessionToken("accessToken", session.id));
  if (session.refreshToken) copy.refreshToken = encryptSecret(session.refreshToken, sessionToken("refreshToken", session.id));
  return copy;
}

function opened(session: Session): { session: Session; legacy: boolean } {
  let legacy = false;
  if (session.accessToken) {
    if (isSealed(session.accessToken)) session.accessToken = decryptSecret(session.accessToken, sessionToken("accessToken", session.id));
    else legacy = true;
  }
  if (session.refreshToken) {
    if (isSealed(session.refreshToken)) session.refreshToken = decryptSecret(session.refreshToken, sessionToken("refreshToken", session.id));
    else legacy = true;
  }
  return { session, legacy };
}

export class EncryptedSessionStorage {
  constructor(private readonly inner: Inner) {}

  storeSession(session: Session): Promise<boolean> {
    return this.inner.storeSession(sealed(session));
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const row = await this.inner.loadSession(id);
    if (!row) return undefined;
    const { session, legacy } = opened(row);
    if (legacy) await this.inner.storeSession(sealed(session)); // a plaintext row from before: sealed now
    return session;
  }

  deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    return (await this.inner.findSessionsByShop(shop)).map((s) => opened(s).session);
  }

  isReady(): Promise<boolean> {
    return this.inner.isReady();
  }
}
