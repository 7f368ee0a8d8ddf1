// What the app does when a shop uninstalls it, changes its scopes, or Shopify relays a GDPR request.
import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "@prisma/client";
import { decryptSecret, encryptSecret, sha256Hex } from "../security/secrets.server";
import { complianceExport } from "../security/encrypted-columns.server";
import { buyerEmailHash, normaliseEmail, shopifyCustomerIdOf } from "../privacy/buyer-key";
import { EXPORT_RETENTION_DAYS } from "../privacy/requests.server";

/** app/uninstalled: the offline token is dead; forget sessions, stop agents from using the shop's keys. */
export async function onAppUninstalled(db: PrismaClient, shopDomain: string, now = new Date()): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.session.deleteMany({ where: { shop: shopDomain } });
    const shop = await tx.shop.findUnique({ where: { domain: shopDomain } });
    if (!shop) return;
    await tx.shop.update({ where: { id: shop.id }, data: { uninstalledAt: now } });
    await tx.agentApiKey.updateMany({ where: { shopId: shop.id, revokedAt: null }, data: { revokedAt: now } });
  });
}

/** app/scopes_update: keep the stored session's scope in step with what the merchant granted. */
export async function onScopesUpdate(db: PrismaClient, shopDomain: string, payload: { current?: string[] }): Promise<void> {
  if (!Array.isArray(payload.current)) return;
  await db.session.updateMany({ where: { shop: shopDomain }, data: { scope: payload.current.join(",") } });
}

const PERSONAL_KEYS = new Set([
  "email", "phone", "phonenumber", "name", "firstname", "lastname", "fullname", "company",
  "lineone", "linetwo", "address1", "address2", "city", "postalcode", "zip", "customerid", "billingaddress",
]);

const REDACTED = "[redacted]";

/** Replaces personal values anywhere in a JSON document (both snake_case and camelCase keys). */
export function redactPersonalData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactPersonalData);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => {
        const normalised = key.toLowerCase().replaceAll("_", "");
        if (PERSONAL_KEYS.has(normalised) && (typeof inner === "string" || typeof inner === "number")) return [key, REDACTED];
        return [key, redactPersonalData(inner)];
      }),
    );
  }
  return value;
}

/** The personal values a document holds (under the personal keys), to scrub them from free text elsewhere. */
function personalValues(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const inner of value) personalValues(inner, into);
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (PERSONAL_KEYS.has(key.toLowerCase().replaceAll("_", "")) && (typeof inner === "string" || typeof inner === "number")) {
        const text = String(inner).trim();
        if (text.length >= 3 && text !== REDACTED) into.add(text);
      } else personalValues(inner, into);
    }
  }
  return into;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Removes the given values from a string wherever they appear (messages, URLs, traces), as written, URL-encoded
 * or form-encoded, as whole words; and any `checkout[email]` parameter of a URL (continue_url before 0106).
 */
function scrubText(text: string, values: Set<string>): string {
  let out = text.replace(/([?&])checkout(?:%5B|\[)email(?:%5D|\])=[^&"\s]*&?/gi, "$1").replace(/[?&]$/, "");
  for (const value of values) {
    for (const form of new Set([value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)])) {
      out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(form)}(?![\\p{L}\\p{N}])`, "giu"), REDACTED);
    }
  }
  return out;
}

function scrubJson(value: unknown, values: Set<string>): unknown {
  const redacted = redactPersonalData(value);
  const walk = (inner: unknown): unknown => {
    if (typeof inner === "string") return scrubText(inner, values);
    if (Array.isArray(inner)) return inner.map(walk);
    if (inner && typeof inner === "object") return Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, walk(v)]));
    return inner;
  };
  return walk(redacted);
}

/** A stored JSON text (or plain text) with the personal data scrubbed. */
function scrubStored(text: string, values: Set<string>): string {
  try {
    return JSON.stringify(scrubJson(JSON.parse(text), values));
  } catch {
    return scrubText(text, values);
  }
}

interface CustomerPayload {
  customer?: { id?: number | string; email?: string | null; phone?: string | null };
  orders_requested?: Array<number | string>;
  orders_to_redact?: Array<number | string>;
  data_request?: { id?: number | string };
}

/** Every email a session state holds (buyer, fulfilment details), normalised. */
function emailsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const inner of value) emailsIn(inner, into);
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (key.toLowerCase() === "email" && typeof inner === "string" && inner.trim()) into.add(normaliseEmail(inner));
      else emailsIn(inner, into);
    }
  }
  return into;
}

const orderGid = (id: unknown): string | null => {
  const numeric = shopifyCustomerIdOf(id); // the same rule: a positive integer, or its string
  return numeric ? `gid://shopify/Order/${numeric}` : null;
};

/**
 * The checkout sessions (and agent orders) of one customer, matched exactly (docs/decisions/0105): the stored email
 * hash, the Shopify customer id recorded from orders/* webhooks, and the Shopify order ids Shopify names.
 * Sessions written before the hash column existed are found by a text prefilter and then compared exactly.
 */
async function customerRecords(db: PrismaClient, shopId: string, payload: CustomerPayload) {
  const email = payload.customer?.email?.trim() || null;
  const emailHash = buyerEmailHash(email);
  const customerId = shopifyCustomerIdOf(payload.customer?.id);
  const orderIds = [...(payload.orders_requested ?? []), ...(payload.orders_to_redact ?? [])].map(orderGid).filter((id): id is string => id !== null);
  const orderMatch = [
    ...(orderIds.length ? [{ shopifyOrderId: { in: orderIds } }] : []),
    ...(customerId ? [{ shopifyCustomerId: customerId }] : []),
  ];
  const orders = orderMatch.length ? await db.agentOrder.findMany({ where: { shopId, OR: orderMatch } }) : [];
  const sessionIds = new Set(orders.map((o) => o.checkoutSessionId));
  const sessions = sessionIds.size ? await db.checkoutSession.findMany({ where: { shopId, id: { in: [...sessionIds] } } }) : [];
  if (emailHash && email) {
    sessions.push(...(await db.checkoutSession.findMany({ where: { shopId, buyerEmailHash: emailHash, id: { notIn: [...sessionIds] } } })));
    // Legacy rows: `contains` is only a prefilter (LIKE treats % and _ as wildcards); the decision is exact.
    const legacy = await db.checkoutSession.findMany({ where: { shopId, buyerEmailHash: null, stateJson: { contains: email } } });
    for (const row of legacy) {
      if (!sessionIds.has(row.id) && emailsIn(JSON.parse(row.stateJson)).has(normaliseEmail(email))) sessions.push(row);
    }
  }
  const unique = [...new Map(sessions.map((s) => [s.id, s])).values()];
  const allOrders = unique.length ? await db.agentOrder.findMany({ where: { shopId, checkoutSessionId: { in: unique.map((s) => s.id) } } }) : [];
  return { sessions: unique, orders: [...new Map([...orders, ...allOrders].map((o) => [o.id, o])).values()], emailHash, customerId };
}

/** customers/data_request: gather what we hold on the customer, encrypted, for the merchant to download (0107). */
export async function onCustomerDataRequest(db: PrismaClient, shopDomain: string, webhookId: string, payload: CustomerPayload, now = new Date()) {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain } });
  const { sessions, orders, emailHash, customerId } = shop ? await customerRecords(db, shop.id, payload) : { sessions: [], orders: [], emailHash: null, customerId: null };
  const exported = {
    shop: shopDomain,
    request: { dataRequestId: payload.data_request?.id ?? null, customerId, email: payload.customer?.email ?? null, ordersRequested: payload.orders_requested ?? [] },
    /** How the export is matched to a later customers/redact (never shown). */
    match: { emailHash, customerId },
    checkoutSessions: sessions.map((s) => ({ checkoutSessionId: s.id, createdAt: s.createdAt, status: s.status, session: JSON.parse(s.stateJson) as unknown })),
    orders: orders.map((o) => ({ shopifyOrderId: o.shopifyOrderId, orderName: o.orderName, status: o.status, totalMinor: o.totalMinor, refundedMinor: o.refundedMinor, currency: o.currency, createdAt: o.createdAt, checkoutSessionId: o.checkoutSessionId })),
  };
  const id = randomUUID();
  await db.complianceRequest.upsert({
    where: { webhookId },
    update: {},
    create: {
      id, shopDomain, topic: "customers/data_request", webhookId,
      exportEnc: encryptSecret(JSON.stringify(exported), complianceExport(id)),
      recordCount: sessions.length, completedAt: now, expiresAt: new Date(now.getTime() + EXPORT_RETENTION_DAYS * 86_400_000),
    },
  });
}

/**
 * customers/redact: scrub the customer's personal data wherever it lives (docs/decisions/0106): session state and
 * its email hash, stored agent responses (idempotency records), order snapshots and customer ids, outbox payloads,
 * and earlier data-request exports of the same customer.
 */
export async function onCustomerRedact(db: PrismaClient, shopDomain: string, webhookId: string, payload: CustomerPayload) {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain } });
  const records = shop ? await customerRecords(db, shop.id, payload) : null;
  if (shop && records) {
    const values = new Set<string>();
    for (const text of [payload.customer?.email, payload.customer?.phone]) if (text?.trim()) values.add(text.trim());
    for (const s of records.sessions) personalValues(JSON.parse(s.stateJson), values);
    const sessionIds = records.sessions.map((s) => s.id);
    const orderIds = records.orders.map((o) => o.id);
    await db.$transaction(async (tx) => {
      for (const s of records.sessions) {
        await tx.checkoutSession.update({
          where: { id: s.id },
          data: { stateJson: scrubStored(s.stateJson, values), intentTraceJson: s.intentTraceJson ? scrubStored(s.intentTraceJson, values) : null, buyerEmailHash: null },
        });
      }
      await redactIdempotencyRecords(tx, shop.id, sessionIds, values);
      for (const o of records.orders) {
        await tx.agentOrder.update({ where: { id: o.id }, data: { shopifyOrderJson: o.shopifyOrderJson ? scrubStored(o.shopifyOrderJson, values) : null, shopifyCustomerId: null } });
      }
      const aggregates = [...sessionIds, ...orderIds];
      if (aggregates.length) {
        const events = await tx.outboxEvent.findMany({ where: { shopId: shop.id, aggregateId: { in: aggregates } } });
        for (const e of events) {
          await tx.outboxEvent.update({ where: { id: e.id }, data: { payloadJson: scrubStored(e.payloadJson, values), lastError: e.lastError ? scrubText(e.lastError, values) : null } });
        }
      }
    });
    await dropCustomerExports(db, shopDomain, records.emailHash, records.customerId);
  }
  await db.complianceRequest.upsert({
    where: { webhookId },
    update: {},
    create: { shopDomain, topic: "customers/redact", webhookId, recordCount: records?.sessions.length ?? 0, completedAt: new Date() },
  });
}

/**
 * The stored agent responses of the customer's sessions (ACP idempotency replays): the response bodies are
 * scrubbed in place, so a replay under the same key answers the redacted session. The request fingerprint is a
 * one-way digest and stays, so a retry of the same request still replays rather than running again.
 */
export async function redactIdempotencyRecords(db: Prisma.TransactionClient | PrismaClient, shopId: string, sessionIds: string[], values: Set<string>): Promise<number> {
  let changed = 0;
  for (const sessionId of sessionIds) {
    // `contains` is a prefilter (cs_ ids hold "_", a LIKE wildcard); the exact check follows.
    const rows = await db.idempotencyRecord.findMany({ where: { shopId, OR: [{ scope: { contains: sessionId } }, { responseBody: { contains: sessionId } }] }, select: { id: true, scope: true, responseBody: true } });
    for (const row of rows) {
      const ours = row.scope.split("/").includes(sessionId) || (row.responseBody ?? "").includes(`"${sessionId}"`);
      if (!ours || !row.responseBody) continue;
      await db.idempotencyRecord.update({ where: { id: row.id }, data: { responseBody: scrubStored(row.responseBody, values) } });
      changed += 1;
    }
  }
  return changed;
}

/** Earlier data-request exports of this customer hold their data too: the export is deleted, the audit row stays. */
async function dropCustomerExports(db: PrismaClient, shopDomain: string, emailHash: string | null, customerId: string | null) {
  if (!emailHash && !customerId) return;
  const exports = await db.complianceRequest.findMany({ where: { shopDomain, topic: "customers/data_request", exportEnc: { not: null } }, select: { id: true, exportEnc: true } });
  for (const row of exports) {
    let match: { emailHash?: string | null; customerId?: string | null } = {};
    try {
      match = (JSON.parse(decryptSecret(row.exportEnc!, complianceExport(row.id))) as { match?: typeof match }).match ?? {};
    } catch {
      continue; // unreadable: left for the expiry purge
    }
    if ((emailHash && match.emailHash === emailHash) || (customerId && match.customerId === customerId)) {
      await db.complianceRequest.update({ where: { id: row.id }, data: { exportEnc: null } });
    }
  }
}

/** How a redacted shop is named in the rows that must outlive it (the audit trail, webhook deduplication). */
export function redactedShopName(shopDomain: string): string {
  return `redacted:${sha256Hex(`shop:${shopDomain.toLowerCase()}`).slice(0, 32)}`;
}

const modelDelegate = (tx: Prisma.TransactionClient, model: string) =>
  (tx as unknown as Record<string, { deleteMany(args: unknown): Promise<unknown> }>)[model.charAt(0).toLowerCase() + model.slice(1)]!;

/**
 * shop/redact (48 h after uninstall): delete everything the app holds for the shop (docs/decisions/0106): every
 * table with a shopId (not only those that cascade from Shop), Shopify sessions, compliance requests and their
 * exports; webhook receipts and this request's audit row keep only a one-way name of the shop.
 */
export async function onShopRedact(db: PrismaClient, shopDomain: string, webhookId: string) {
  const anonymous = redactedShopName(shopDomain);
  await db.$transaction(async (tx) => {
    const shop = await tx.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
    if (shop) {
      for (const model of Prisma.dmmf.datamodel.models) {
        if (model.name !== "Shop" && model.fields.some((f) => f.name === "shopId" && f.kind === "scalar")) {
          await modelDelegate(tx, model.name).deleteMany({ where: { shopId: shop.id } });
        }
      }
      await tx.shop.delete({ where: { id: shop.id } });
    }
    await tx.session.deleteMany({ where: { shop: shopDomain } });
    await tx.complianceRequest.deleteMany({ where: { shopDomain } });
    await tx.webhookReceipt.updateMany({ where: { shopDomain }, data: { shopDomain: anonymous } });
    await tx.complianceRequest.upsert({ where: { webhookId }, update: {}, create: { shopDomain: anonymous, topic: "shop/redact", webhookId, completedAt: new Date() } });
  });
}
