// The order-page block's data: the agent checkout behind a Shopify order (or that there is none).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireExtension } from "../admin/extension-auth.server";
import { orderAgentCheckout } from "../admin/extensions.server";
import { services } from "../services.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, cors } = await requireExtension(request);
  const data = await orderAgentCheckout(services.db, shop, params.id ?? "");
  return cors(data ? Response.json(data) : Response.json({ error: "Unknown order id." }, { status: 404 }));
};

// Preflight (OPTIONS) requests reach the action; authenticate.admin answers them.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { cors } = await requireExtension(request);
  return cors(Response.json({ error: "Use GET." }, { status: 405 }));
};
