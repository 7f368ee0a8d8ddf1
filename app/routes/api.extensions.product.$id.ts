// The product-page block's data: GET the product's agent status; POST {included} to sell it through agents or not.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireExtension } from "../admin/extension-auth.server";
import { productAgentStatus, setProductSold } from "../admin/extensions.server";
import { services } from "../services.server";
import { BODY_LIMITS, BodyTooLarge, readBodyBytes } from "../http/body-limit.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, cors } = await requireExtension(request);
  const status = await productAgentStatus(services.db, shop, params.id ?? "");
  return cors(status ? Response.json(status) : Response.json({ error: "Unknown product id." }, { status: 404 }));
};

// Preflight (OPTIONS) requests reach the action too; authenticate.admin answers them.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, cors } = await requireExtension(request);
  if (request.method !== "POST") return cors(Response.json({ error: "Use POST." }, { status: 405 }));
  let body: { included?: unknown } | null;
  try {
    body = JSON.parse(new TextDecoder().decode(await readBodyBytes(request, BODY_LIMITS.extension))) as { included?: unknown } | null;
  } catch (error) {
    if (error instanceof BodyTooLarge) return cors(Response.json({ error: `The request body exceeds ${error.limit} bytes.` }, { status: 413 }));
    body = null;
  }
  if (typeof body?.included !== "boolean") return cors(Response.json({ error: "Send {\"included\": true|false}." }, { status: 400 }));
  const status = await setProductSold(services.db, shop, await services.adminFor(shop.domain), params.id ?? "", body.included);
  return cors(status ? Response.json(status) : Response.json({ error: "Unknown product id." }, { status: 404 }));
};
