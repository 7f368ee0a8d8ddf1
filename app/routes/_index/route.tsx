import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { config } from "../../config.server";

// Shopify opens the app with ?shop=…; the demo opens the admin directly.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop") || config.demoShop) throw redirect(`/app?${url.searchParams.toString()}`);
  throw redirect("/auth/login");
};
