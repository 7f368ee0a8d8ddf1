// Programmatic entry point of the Stripe stand-in. Tests start it on port 0 and point the real
// `stripe` SDK at `sim.url` (see app/payments/stripe-gateway.server.ts, option `apiBase`).
import type { AddressInfo } from "node:net";
import { StripeEngine, type StripeLedger } from "./engine";
import { applyFaults, createStripeServer, resetState, type AccountSettings, type RequestLogEntry, type ServerState, type StripeSimFaults } from "./server";

export type { StripeLedger, TokenUse, PaymentIntentStatus } from "./engine";
export type { StripeSimFaults, RequestLogEntry, AccountSettings } from "./server";

/** What the sim assumes when a request carries no Stripe-Version (an account whose default is the SPT preview). */
export const SIM_DEFAULT_API_VERSION = "2026-07-29.preview";
export { TEST_CARDS } from "./test-cards";

export interface StripeSimOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Secret keys accepted in `Authorization`; the first one is exposed as `apiKey`. */
  apiKeys?: string[];
  accountId?: string;
  faults?: StripeSimFaults;
  /** The account's default API version, for requests without Stripe-Version (the SDK always sends one). */
  defaultApiVersion?: string;
  /** GET /v1/account answers, and whether the account is in the Shared Payment Token preview (default US, true, true). */
  account?: Partial<AccountSettings>;
}

export interface MintGrantedTokenInput {
  /** A Stripe test PaymentMethod id, e.g. "pm_card_visa"; it decides the charge outcome. */
  paymentMethod: string;
  currency: string;
  maxAmount: number;
  /** Unix seconds; omitted = never expires. */
  expiresAt?: number;
  sellerDetails?: Record<string, string>;
  /** The Stripe account the agent granted the token to (default: this sim's account). Others cannot see it. */
  grantedTo?: string;
}

/** The granted-token JSON as Stripe returns it (abridged typing). */
export interface GrantedTokenJson {
  id: string;
  object: "shared_payment.granted_token";
  created: number;
  deactivated_at: number | null;
  deactivated_reason: string | null;
  usage_limits: { currency: string; max_amount: number; expires_at: number | null };
  payment_method_details: { type: "card"; card: { brand: string; last4: string; exp_month: number; exp_year: number; funding: string } };
  [field: string]: unknown;
}

export interface StripeSim {
  /** Base URL, e.g. http://127.0.0.1:53211 (no trailing slash). */
  url: string;
  host: string;
  port: number;
  apiKey: string;
  accountId: string;
  /** Same as POST /v1/test_helpers/shared_payment/granted_tokens. */
  mintGrantedToken(input: MintGrantedTokenInput): GrantedTokenJson;
  /** Same as POST /v1/test_helpers/shared_payment/granted_tokens/:id/revoke. */
  revokeGrantedToken(id: string): GrantedTokenJson;
  ledger(): StripeLedger & { requests: RequestLogEntry[] };
  /** Replaces the fault settings (pass {} to clear). Throws on invalid settings. */
  configure(faults: StripeSimFaults): void;
  /** Moves the sim's clock for idempotency keys (Stripe prunes keys at least 24 hours old). */
  advanceTime(ms: number): void;
  /** Changes what GET /v1/account answers and whether the account may use Shared Payment Tokens. */
  setAccount(settings: Partial<AccountSettings>): void;
  /** Forgets every object, idempotency key, request log entry and fault. */
  reset(): void;
  stop(): Promise<void>;
}

export async function startStripeSim(options: StripeSimOptions = {}): Promise<StripeSim> {
  const host = options.host ?? "127.0.0.1";
  const apiKeys = options.apiKeys?.length ? options.apiKeys : ["sk_test_demo"];
  const accountId = options.accountId ?? "acct_demo000000000000";
  const state: ServerState = {
    engine: new StripeEngine(accountId),
    apiKeys: new Set(apiKeys),
    faults: {},
    requestLog: [],
    idempotency: new Map(),
    defaultApiVersion: options.defaultApiVersion ?? SIM_DEFAULT_API_VERSION,
    account: { country: "US", chargesEnabled: true, sharedPaymentTokens: true, ...options.account },
    clockOffsetMs: 0,
  };
  const initialAccount = { ...state.account };
  if (options.faults) {
    const problem = applyFaults(state, options.faults);
    if (problem) throw new Error(`startStripeSim: ${problem}`);
  }
  const server = createStripeServer(state);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    apiKey: apiKeys[0],
    accountId,
    mintGrantedToken(input) {
      const params: Record<string, string | Record<string, string>> = {
        payment_method: input.paymentMethod,
        usage_limits: {
          currency: input.currency,
          max_amount: String(input.maxAmount),
          ...(input.expiresAt !== undefined ? { expires_at: String(input.expiresAt) } : {}),
        },
      };
      if (input.sellerDetails) params.seller_details = input.sellerDetails;
      return state.engine.createGrantedToken(params, input.grantedTo) as unknown as GrantedTokenJson;
    },
    revokeGrantedToken(id) {
      return state.engine.revokeGrantedToken(id) as unknown as GrantedTokenJson;
    },
    ledger() {
      return { ...state.engine.ledger(), requests: state.requestLog.map((r) => ({ ...r })) };
    },
    configure(faults) {
      const problem = applyFaults(state, faults);
      if (problem) throw new Error(`configure: ${problem}`);
    },
    advanceTime(ms) {
      state.clockOffsetMs += ms;
    },
    setAccount(settings) {
      Object.assign(state.account, settings);
    },
    reset() {
      resetState(state);
      Object.assign(state.account, initialAccount);
    },
    stop() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // The SDK keeps connections alive; close them so stop() does not wait for their timeout.
        server.closeAllConnections();
      });
    },
  };
}
