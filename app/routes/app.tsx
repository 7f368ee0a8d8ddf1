import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { requireAdmin } from "../admin-context.server";
import { config } from "../config.server";
import { AppNavigation } from "../components/AppNavigation";

// No favicon of our own (Shopify's admin shows its own): an empty one, so browsers do not ask for /favicon.ico (a 404).
export const links = () => [{ rel: "stylesheet", href: polarisStyles }, { rel: "icon", href: "data:," }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, demo } = await requireAdmin(request);
  return json({ apiKey: config.shopifyApiKey, embedded: !demo, shopName: shop.name || shop.domain });
};

export default function App() {
  const { apiKey, embedded, shopName } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp={embedded} apiKey={apiKey}>
      <AppNavigation embedded={embedded} shopName={shopName} />
      <Outlet />
    </AppProvider>
  );
}

// Shopify's auth throws Responses (redirects, 401s) that must reach the browser untouched.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
