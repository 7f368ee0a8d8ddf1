// Requests from the admin UI extensions: `fetch()` in an extension sends `Authorization: Bearer <ID token>`
// from another origin. shopify-app-remix's authenticate.admin verifies the token (HS256 with the app secret, our
// API key as audience), answers CORS preflights, and `cors()` adds the headers the browser needs to read the
// answer (docs/decisions/0083). The shop comes from the token alone.
import type { Shop } from "@prisma/client";
import { authenticate } from "../shopify.server";
import { services } from "../services.server";

export interface ExtensionContext {
  shop: Shop;
  /** Adds CORS headers to a response for the extension's origin. */
  cors: (response: Response) => Response;
}

export async function requireExtension(request: Request): Promise<ExtensionContext> {
  const { session, cors } = await authenticate.admin(request);
  const shop = await services.db.shop.findUnique({ where: { domain: session.shop } });
  if (!shop || shop.uninstalledAt) throw cors(Response.json({ error: "The app is not installed on this shop." }, { status: 404 }));
  return { shop, cors };
}
