import { json } from "@remix-run/node";
import { services } from "../services.server";

// Readiness: the database answers. Shopify and Stripe are not checked: the app degrades per request without them.
export const loader = async () => {
  try {
    await services.db.$queryRawUnsafe("SELECT 1");
    return json({ status: "ready" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return json({ status: "unavailable", reason: "database" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
};
