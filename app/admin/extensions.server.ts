// Data for the admin UI extensions (extensions/agent-product-block, extensions/agent-order-block), in the shapes
// their logic modules declare: one product's agent status and toggle, and the agent checkout behind one order.
// Scoped to the shop of the extension's ID token (docs/decisions/0083).
import type { PrismaClient, Shop } from "@prisma/client";
import type { ProductAgentStatus, ProductProblem } from "../../extensions/agent-product-block/src/logic";
import type { OrderAgentCheckout } from "../../extensions/agent-order-block/src/logic";
import { ProductSelectionRepository } from "../db/product-selections.server";
import { catalogFor, feedSettingsOf } from "../catalog/service.server";
import { parseSelectionRule, ruleSelects } from "../catalog/selection";
import type { Problem } from "../catalog/problems";
import type { AdminClient } from "../shopify/admin-client";
import { ORDER_EVENT } from "../orders/order-events.server";
import { deliveryState, formatMoney } from "./labels";

type Db = PrismaClient;

const NUMERIC_ID = /^\d{1,20}$/;

export async function productAgentStatus(db: Db, shop: Shop, numericId: string): Promise<ProductAgentStatus | null> {
  if (!NUMERIC_ID.test(numericId)) return null;
  const productId = `gid://shopify/Product/${numericId}`;
  const [rows, choice] = await Promise.all([
    db.catalogItem.findMany({
      where: { shopId: shop.id, productId, deletedAt: null },
      select: { productTitle: true, productStatus: true, tagsJson: true, collectionIdsJson: true, selected: true, eligible: true, problemsJson: true },
      orderBy: { position: "asc" },
    }),
    new ProductSelectionRepository(db, shop.id).get(productId),
  ]);
  const settings = feedSettingsOf(shop);
  if (!rows.length) {
    return { productId, title: "", state: "not_synced", choice: choice === undefined ? null : choice ? "included" : "excluded", ruleIncludes: false, variants: 0, eligibleVariants: 0, problems: [], checkoutEnabled: settings.enableCheckout };
  }
  const first = rows[0];
  const ruleIncludes = ruleSelects(
    { rule: parseSelectionRule(shop.selectionRule), value: shop.selectionValue },
    { status: first.productStatus, tags: JSON.parse(first.tagsJson) as string[], collectionIds: JSON.parse(first.collectionIdsJson) as string[] },
  );
  const problems = new Map<string, ProductProblem>();
  for (const row of rows) {
    for (const p of JSON.parse(row.problemsJson) as Problem[]) {
      const known = problems.get(p.code);
      if (known) known.variants++;
      else problems.set(p.code, { code: p.code, severity: p.severity, message: p.message, fix: p.fix, variants: 1 });
    }
  }
  const selected = rows.some((r) => r.selected);
  const eligibleVariants = rows.filter((r) => r.eligible).length;
  return {
    productId,
    title: first.productTitle,
    state: !selected ? "excluded" : eligibleVariants === rows.length ? "eligible" : "needs_attention",
    choice: choice === undefined ? null : choice ? "included" : "excluded",
    ruleIncludes,
    variants: rows.length,
    eligibleVariants,
    problems: [...problems.values()],
    checkoutEnabled: settings.enableCheckout,
  };
}

/** The block's switch: the merchant's explicit choice for this product, applied to the catalog rows at once. */
export async function setProductSold(db: Db, shop: Shop, admin: AdminClient, numericId: string, included: boolean): Promise<ProductAgentStatus | null> {
  if (!NUMERIC_ID.test(numericId)) return null;
  const productId = `gid://shopify/Product/${numericId}`;
  await new ProductSelectionRepository(db, shop.id).set([productId], included);
  await catalogFor({ db, shop, admin }).sync.applySelection([productId]);
  return productAgentStatus(db, shop, numericId);
}

export async function orderAgentCheckout(db: Db, shop: Shop, numericId: string): Promise<OrderAgentCheckout | null> {
  if (!NUMERIC_ID.test(numericId)) return null;
  const order = await db.agentOrder.findFirst({ where: { shopId: shop.id, shopifyOrderId: `gid://shopify/Order/${numericId}` } });
  if (!order) return { agentOrder: null, events: [] };
  const [session, events] = await Promise.all([
    db.checkoutSession.findFirst({ where: { id: order.checkoutSessionId, shopId: shop.id }, select: { status: true, apiVersion: true, agentName: true } }),
    db.outboxEvent.findMany({ where: { shopId: shop.id, aggregateId: order.id, type: ORDER_EVENT }, orderBy: { createdAt: "desc" }, take: 20 }),
  ]);
  return {
    agentOrder: {
      id: order.id,
      agent: order.agentName || session?.agentName || "Unnamed agent",
      attribution: order.attribution,
      checkoutSessionId: order.checkoutSessionId,
      sessionStatus: session?.status ?? null,
      acpVersion: session?.apiVersion ?? null,
      orderStatus: order.status,
      total: formatMoney(order.totalMinor, order.currency),
      paymentIntentId: order.paymentIntentId,
      createdAt: order.createdAt.toISOString(),
    },
    events: events.map((e) => {
      let type = "order event";
      try {
        type = (JSON.parse(e.payloadJson) as { body?: { type?: string } }).body?.type ?? type;
      } catch {}
      return { type, createdAt: e.createdAt.toISOString(), delivery: deliveryState(e), attempts: e.attempts, lastError: e.lastError };
    }),
  };
}
