// What the app does when a shop uninstalls it, changes its scopes, or Shopify relays a GDPR request.
import type { PrismaClient } from "@prisma/client";
import { randomUUID } from "node:crypto";
import { encryptSecret } from "../security/secrets.server";
import { complianceExport } from "../security/encrypted-columns.server";

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

/** Replaces personal values anywhere in a JSON document (both snake_case and camelCase keys). */
export function redactPersonalData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactPersonalData);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => {
        const normalised = key.toLowerCase().replaceAll("_", "");
        if (PERSONAL_KEYS.has(normalised) && (typeof inner === "string" || typeof inner === "number")) return [key, "[redacted]"];
        return [key, redactPersonalData(inner)];
      }),
    );
  }
  return value;
}

interface CustomerPayload {
  customer?: { id?: number; email?: string | null; phone?: string | null };
  orders_requested?: number[];
  orders_to_redact?: number[];
}

/** The checkout sessions that belong to a customer: by email in the session, or by the Shopify orders named. */
async function customerSessions(db: PrismaClient, shopId: string, payload: CustomerPayload) {
  const email = payload.customer?.email?.trim();
  const orderIds = [...(payload.orders_requested ?? []), ...(payload.orders_to_redact ?? [])].map((id) => `gid://shopify/Order/${id}`);
  const viaOrders = orderIds.length
    ? await db.agentOrder.findMany({ where: { shopId, shopifyOrderId: { in: orderIds } }, select: { checkoutSessionId: true } })
    : [];
  const or = [
    ...(email ? [{ stateJson: { contains: JSON.stringify(email) } }] : []),
    ...(viaOrders.length ? [{ id: { in: viaOrders.map((o) => o.checkoutSessionId) } }] : []),
  ];
  if (or.length === 0) return [];
  return db.checkoutSession.findMany({ where: { shopId, OR: or } });
}

/** customers/data_request: gather what we hold on the customer, encrypted, for the merchant to send on. */
export async function onCustomerDataRequest(db: PrismaClient, shopDomain: string, webhookId: string, payload: CustomerPayload) {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain } });
  const sessions = shop ? await customerSessions(db, shop.id, payload) : [];
  const exported = sessions.map((s) => ({ checkoutSessionId: s.id, createdAt: s.createdAt, status: s.status, session: JSON.parse(s.stateJson) }));
  const id = randomUUID();
  await db.complianceRequest.create({
    data: { id, shopDomain, topic: "customers/data_request", webhookId, exportEnc: encryptSecret(JSON.stringify(exported), complianceExport(id)), recordCount: exported.length, completedAt: new Date() },
  });
}

/** customers/redact: scrub the customer's personal data from their checkout sessions. */
export async function onCustomerRedact(db: PrismaClient, shopDomain: string, webhookId: string, payload: CustomerPayload) {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain } });
  const sessions = shop ? await customerSessions(db, shop.id, payload) : [];
  for (const s of sessions) {
    await db.checkoutSession.update({ where: { id: s.id }, data: { stateJson: JSON.stringify(redactPersonalData(JSON.parse(s.stateJson))) } });
  }
  await db.complianceRequest.create({ data: { shopDomain, topic: "customers/redact", webhookId, recordCount: sessions.length, completedAt: new Date() } });
}

/** shop/redact (48 h after uninstall): delete everything the app holds for the shop. */
export async function onShopRedact(db: PrismaClient, shopDomain: string, webhookId: string) {
  await db.$transaction([
    db.shop.deleteMany({ where: { domain: shopDomain } }), // cascades to every shop-owned table
    db.session.deleteMany({ where: { shop: shopDomain } }),
    db.complianceRequest.create({ data: { shopDomain, topic: "shop/redact", webhookId, completedAt: new Date() } }),
  ]);
}
