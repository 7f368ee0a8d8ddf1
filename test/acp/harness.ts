// A real handler on a real SQLite database (test/support/db), with fake store ports unless told otherwise.
import { composeAcp, type ComposeAcpOptions } from "../../app/acp/compose.server";
import { freshDb } from "../support/db";
import { FakeCatalog, FakePricer } from "./fakes";
import { encryptSecret } from "../../app/security/secrets.server";
import { validatorFor, type SchemaName } from "../../app/acp/schemas";
import type { AcpVersion } from "../../app/acp/versions";
import { randomUUID } from "node:crypto";

export interface ShopSeed {
  domain?: string;
  stripeAccountId?: string | null;
  checkoutMode?: string;
  signatureSecret?: string;
  sessionTtlMinutes?: number;
}

export async function harness(overrides: Partial<ComposeAcpOptions> = {}) {
  const database = freshDb();
  const catalog = new FakeCatalog();
  const pricer = new FakePricer();
  const now = { value: new Date("2026-11-26T12:00:00Z") };
  const clock = { now: () => new Date(now.value) };
  const acp = composeAcp({
    db: database.db,
    adminFor: async () => {
      throw new Error("no Shopify in this test");
    },
    clock,
    appUrl: "https://app.example.com",
    adapters: async () => ({ catalog, pricer }),
    ...overrides,
  });

  async function addShop(seed: ShopSeed = {}) {
    const id = `shop_${randomUUID()}`;
    const shop = await database.db.shop.create({
      data: {
        id,
        domain: seed.domain ?? `shop-${randomUUID().slice(0, 8)}.myshopify.com`,
        name: "Demo Outfitters",
        currencyCode: "USD",
        primaryUrl: "https://demo-outfitters.example",
        policiesJson: JSON.stringify({ TERMS_OF_SERVICE: "https://demo-outfitters.example/policies/terms", REFUND_POLICY: "https://demo-outfitters.example/policies/refund", PRIVACY_POLICY: "https://demo-outfitters.example/policies/privacy" }),
        stripeAccountId: seed.stripeAccountId === undefined ? "acct_demo123" : seed.stripeAccountId,
        checkoutMode: seed.checkoutMode ?? "agent_payment",
        signatureRequired: !!seed.signatureSecret,
        signatureSecretEnc: seed.signatureSecret ? encryptSecret(seed.signatureSecret, { table: "Shop", column: "signatureSecretEnc", row: id }) : null,
        sessionTtlMinutes: seed.sessionTtlMinutes ?? 360,
      },
    });
    const { key, summary } = await acp.keys.create(shop.id, "ChatGPT");
    return { shop, key, keyId: summary.id };
  }

  return { ...database, acp, catalog, pricer, clock, now, addShop };
}

export interface CallOptions {
  method?: string;
  key?: string | null;
  version?: string | null;
  idempotencyKey?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export const BASE = "https://app.example.com/acp";

export function acpRequest(path: string, o: CallOptions = {}): Request {
  const method = o.method ?? (o.body !== undefined || o.rawBody !== undefined ? "POST" : "GET");
  const headers: Record<string, string> = {};
  if (o.key !== null && o.key !== undefined) headers.Authorization = `Bearer ${o.key}`;
  if (o.version !== null) headers["API-Version"] = o.version ?? "2026-04-17";
  if (method === "POST" && o.idempotencyKey !== null) headers["Idempotency-Key"] = o.idempotencyKey ?? randomUUID();
  const body = o.rawBody ?? (o.body !== undefined ? JSON.stringify(o.body) : undefined);
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return new Request(`${BASE}${path}`, { method, headers: { ...headers, ...o.headers }, body });
}

export async function call(handler: (r: Request) => Promise<Response>, path: string, o: CallOptions = {}) {
  const response = await handler(acpRequest(path, o));
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Validates a response body against the official schema of its version; returns ajv's errors or []. */
export function schemaErrors(version: AcpVersion, name: SchemaName, body: unknown): unknown[] {
  const validate = validatorFor(version, name)!;
  return validate(body) ? [] : (validate.errors ?? []);
}
