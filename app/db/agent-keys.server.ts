// Agent API keys: the merchant issues them per shop; only a SHA-256 hash and a short prefix are stored, the
// plaintext is shown once. Several can be active at once, so keys rotate without downtime.
import type { PrismaClient } from "@prisma/client";
import { randomToken, safeEqual, sha256Hex } from "../security/secrets.server";

export const AGENT_KEY_PREFIX = "acp_sk_";
const PREFIX_LENGTH = AGENT_KEY_PREFIX.length + 6;
/** lastUsedAt is written at most this often per key, so authentication stays a read. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface AgentKeySummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ResolvedAgentKey {
  keyId: string;
  shopId: string;
  /** The name the merchant gave the key (e.g. "ChatGPT"): how orders are attributed to an agent. */
  name: string;
}

export function createAgentKeyRepository(db: PrismaClient) {
  return {
    /** Creates a key and returns its plaintext — the only time it exists outside the agent platform. */
    async create(shopId: string, name: string, key = randomToken(AGENT_KEY_PREFIX, 32)): Promise<{ key: string; summary: AgentKeySummary }> {
      // A caller-chosen key (the demo's DEMO_AGENT_KEY) must look like one we issue, or resolve() would refuse it.
      if (!key.startsWith(AGENT_KEY_PREFIX) || key.length < AGENT_KEY_PREFIX.length + 16) {
        throw new Error(`An agent API key starts with ${AGENT_KEY_PREFIX} and has at least 16 more characters`);
      }
      const row = await db.agentApiKey.create({ data: { shopId, name: name.slice(0, 100) || "Agent key", prefix: key.slice(0, PREFIX_LENGTH), keyHash: sha256Hex(key) } });
      return { key, summary: summary(row) };
    },

    async list(shopId: string): Promise<AgentKeySummary[]> {
      const rows = await db.agentApiKey.findMany({ where: { shopId }, orderBy: { createdAt: "desc" } });
      return rows.map(summary);
    },

    async revoke(shopId: string, keyId: string, now = new Date()): Promise<boolean> {
      const { count } = await db.agentApiKey.updateMany({ where: { id: keyId, shopId, revokedAt: null }, data: { revokedAt: now } });
      return count === 1;
    },

    /** The shop a presented key belongs to, or null (unknown, revoked, or the shop uninstalled the app). */
    async resolve(presented: string, now = new Date()): Promise<ResolvedAgentKey | null> {
      if (!presented.startsWith(AGENT_KEY_PREFIX) || presented.length > 200) return null;
      const hash = sha256Hex(presented);
      const row = await db.agentApiKey.findUnique({ where: { keyHash: hash }, include: { shop: { select: { uninstalledAt: true } } } });
      // The lookup is by hash; the constant-time compare keeps the final check free of timing signal.
      if (!row || !safeEqual(row.keyHash, hash) || row.revokedAt || row.shop.uninstalledAt) return null;
      if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
        await db.agentApiKey.updateMany({ where: { id: row.id }, data: { lastUsedAt: now } }).catch(() => undefined);
      }
      return { keyId: row.id, shopId: row.shopId, name: row.name };
    },
  };
}

export type AgentKeyRepository = ReturnType<typeof createAgentKeyRepository>;

function summary(row: { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }): AgentKeySummary {
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt };
}
