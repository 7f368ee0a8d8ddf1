// Limits on the agent API, in the order a request meets them (docs/decisions/0111):
// 1. before any database read: the presented token's own budget (keyed by the hash of the parsed token), or —
//    with no usable token — the client address's budget;
// 2. a token that fails authentication costs its address a point, and once the address is out of budget its
//    failures are 429, not 401 (a key-guessing loop cannot buy a fresh budget per guess). A working key is never
//    refused for its address: an agent platform's egress shared with someone guessing keys is not locked out;
// 3. after authentication: the shop's budget across its keys.
import { clientAddress, type Cidr } from "./client-address";
import { memoryLimiter, type Decision, type Limiter } from "./limiter";
import type { RateLimit } from "./rate-limit";

export type LimitScope = "key" | "address" | "shop";
export type LimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; scope: LimitScope };

export interface AgentLimits {
  /** The limiter key for the caller's address (socket address, trusted-proxy aware). */
  addressOf(socketAddress: string | null | undefined, forwardedFor: string | null): string;
  /** Before authentication. `tokenHash` is null when the request has no well-formed Bearer token. */
  beforeAuth(input: { tokenHash: string | null; address: string }): Promise<LimitDecision>;
  /** Authentication refused the token (or there was none). */
  authFailed(address: string): Promise<LimitDecision>;
  /** Authentication accepted the token for this shop. */
  authenticated(input: { tokenHash: string; shopId: string }): Promise<LimitDecision>;
}

export interface AgentLimitsConfig {
  perKey: RateLimit;
  perShop: RateLimit;
  /** Unauthenticated traffic (no key, or a key that does not resolve), per client address. */
  perAddress: RateLimit;
  trustedProxies?: Cidr[];
  /** The limiter store (memory by default; limiterForDatabase() in the app: PostgreSQL shares budgets). */
  limiter?: (limit: RateLimit, name: string) => Limiter;
  /** Called on every refusal (metrics). */
  onLimited?: (scope: LimitScope) => void;
  /** Prefix of the limiters' keys, so each surface (REST "acp", "mcp") has its own budgets. */
  name?: string;
}

export function createAgentLimits(config: AgentLimitsConfig): AgentLimits {
  const make = config.limiter ?? memoryLimiter;
  const name = config.name ?? "acp";
  const keys = make(config.perKey, `${name}:key`);
  const shops = make(config.perShop, `${name}:shop`);
  const addresses = make(config.perAddress, `${name}:address`);
  const proxies = config.trustedProxies ?? [];
  function refuse(decision: Decision, scope: LimitScope): LimitDecision {
    if (decision.allowed) return decision;
    config.onLimited?.(scope);
    return { ...decision, scope };
  }

  return {
    addressOf: (socketAddress, forwardedFor) => clientAddress(socketAddress, forwardedFor, proxies),

    async beforeAuth({ tokenHash, address }) {
      if (tokenHash === null) return refuse(await addresses.consume(address), "address");
      return refuse(await keys.consume(tokenHash), "key");
    },

    async authFailed(address) {
      return refuse(await addresses.consume(address), "address");
    },

    async authenticated({ shopId }) {
      return refuse(await shops.consume(shopId), "shop");
    },
  };
}
