import { json } from "@remix-run/node";
import { services } from "../services.server";

/** A readiness probe answers within this, whatever the database does (a partition would otherwise hold it for
 * the pool's connect timeout). */
const READY_TIMEOUT_MS = 2_000;

// Readiness: the database answers (SQLite or PostgreSQL), within READY_TIMEOUT_MS. Shopify and Stripe are not
// checked: the app degrades per request without them. docs/operations.md "Health and readiness".
export const loader = async () => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      services.db.$queryRawUnsafe("SELECT 1"),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("database readiness timeout")), READY_TIMEOUT_MS);
      }),
    ]);
    return json({ status: "ready" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return json({ status: "unavailable", reason: "database" }, { status: 503, headers: { "Cache-Control": "no-store", "Retry-After": "5" } });
  } finally {
    clearTimeout(timer);
  }
};
