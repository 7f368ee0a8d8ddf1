// continue_url: a Shopify cart permalink with the same variants and quantities, so the buyer can always finish
// in Shopify's own checkout (docs/decisions/0026). https://help.shopify.com/manual/products/details/cart-permalink
// No buyer data in it: the URL is handed to the agent, shown to the buyer, kept in logs and browser histories
// along the way, and stored with the session (docs/decisions/0106).
import type { SessionLine } from "./model";
import type { ShopProfile } from "./ports";

export function variantNumericId(variantId: string): string {
  return /(\d+)$/.exec(variantId)?.[1] ?? variantId;
}

export function storefrontOrigin(shop: Pick<ShopProfile, "primaryUrl" | "domain">): string {
  if (shop.primaryUrl) {
    try {
      return new URL(shop.primaryUrl).origin;
    } catch {
      // fall through to the myshopify domain
    }
  }
  return `https://${shop.domain}`;
}

export function cartPermalink(
  shop: Pick<ShopProfile, "primaryUrl" | "domain">,
  sessionId: string,
  lines: Pick<SessionLine, "variantId" | "quantity">[],
  discountCode?: string,
): string {
  const cart = lines.map((l) => `${variantNumericId(l.variantId)}:${l.quantity}`).join(",");
  const url = new URL(`${storefrontOrigin(shop)}/cart${cart ? `/${cart}` : ""}`);
  if (discountCode) url.searchParams.set("discount", discountCode);
  // Cart attributes become order attributes: the order can be traced back to the agent session.
  url.searchParams.set("attributes[acp_session]", sessionId);
  url.searchParams.set("ref", "acp");
  return url.toString();
}
