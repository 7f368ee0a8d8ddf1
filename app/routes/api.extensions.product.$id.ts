// The product-page block's data: GET the product's agent status; POST {included} to sell it through agents or not.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireExtension } from "../admin/extension-auth.server";
import { productAgentStatus, setProductSold } from "../admin/extensions.server";
import { services } from "../services.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, cors } = await requireExtension(request);
  const status = await productAgentStatus(services.db, shop, params.id ?? "");
  return cors(status ? Response.json(status) : Response.json({ error: "Unknown product id." }, { status: 404 }));
};

// Preflight (OPTIONS) requests reach the action too; authenticate.admin answers them.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, cors } = await requireExtension(request);
  if (request.method !== "POST") return cors(Response.json({ error: "Use POST." }, { status: 405 }));
  const body = (await request.json().catch(() => null)) as { included?: unknown } | null;
  if (typeof body?.included !== "boolean") return cors(Response.json({ error: "Send {\"included\": true|false}." }, { status: 400 }));
  const status = await setProductSold(services.db, shop, await services.adminFor(shop.domain), params.id ?? "", body.included);
  return cors(status ? Response.json(status) : Response.json({ error: "Unknown product id." }, { status: 404 }));
};
