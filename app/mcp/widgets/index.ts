// The widgets as UI resources, in two flavours over the same HTML (docs/decisions/0093): `text/html+skybridge`
// templates for ChatGPT's Apps SDK (tool `_meta["openai/outputTemplate"]`), and MCP Apps `ui://` resources
// (`text/html;profile=mcp-app`, tool `_meta.ui.resourceUri`) for other hosts.
import { checkoutWidgetHtml } from "./checkout";
import { productsWidgetHtml } from "./products";

export type WidgetName = "products" | "checkout";

export const SKYBRIDGE_MIME = "text/html+skybridge";
export const MCP_APP_MIME = "text/html;profile=mcp-app";

interface Widget {
  title: string;
  description: string;
  html: () => string;
  invoking: string;
  invoked: string;
}

const WIDGETS: Record<WidgetName, Widget> = {
  products: {
    title: "Product cards",
    description: "Product cards with photo, name, brand, price and availability; a carousel for search results, one product with its variants.",
    html: productsWidgetHtml,
    invoking: "Looking through the store…",
    invoked: "Products ready",
  },
  checkout: {
    title: "Cart and checkout summary",
    description: "The checkout session: items, delivery, totals and messages in the store's currency, and the order once placed.",
    html: checkoutWidgetHtml,
    invoking: "Updating the cart…",
    invoked: "Cart updated",
  },
};

export const widgetUris = (name: WidgetName) => ({ skybridge: `ui://widget/acp-${name}.html`, mcpApp: `ui://acp/${name}.html` });

export interface UiResource {
  uri: string;
  name: string;
  title: string;
  description: string;
  mimeType: string;
  _meta: Record<string, unknown>;
}

/** Origins the widgets may load images from (the shop's CDN by default). */
export function uiResources(imageDomains: string[]): UiResource[] {
  return (Object.keys(WIDGETS) as WidgetName[]).flatMap((name) => {
    const widget = WIDGETS[name];
    const uris = widgetUris(name);
    return [
      {
        uri: uris.skybridge,
        name: `acp-${name}-apps-sdk`,
        title: widget.title,
        description: widget.description,
        mimeType: SKYBRIDGE_MIME,
        _meta: { "openai/widgetDescription": widget.description, "openai/widgetPrefersBorder": true, "openai/widgetCSP": { connect_domains: [], resource_domains: imageDomains } },
      },
      {
        uri: uris.mcpApp,
        name: `acp-${name}-mcp-app`,
        title: widget.title,
        description: widget.description,
        mimeType: MCP_APP_MIME,
        _meta: { ui: { csp: { connectDomains: [], resourceDomains: imageDomains }, prefersBorder: true } },
      },
    ];
  });
}

/** The contents of a resources/read, or null for an unknown URI. */
export function readUiResource(uri: string, imageDomains: string[]): { uri: string; mimeType: string; text: string; _meta: Record<string, unknown> } | null {
  const resource = uiResources(imageDomains).find((r) => r.uri === uri);
  if (!resource) return null;
  const name = (Object.keys(WIDGETS) as WidgetName[]).find((n) => Object.values(widgetUris(n)).includes(uri))!;
  return { uri, mimeType: resource.mimeType, text: WIDGETS[name].html(), _meta: resource._meta };
}

/** A tool descriptor's `_meta`: which widget renders its result, for both flavours. */
export function toolWidgetMeta(name: WidgetName): Record<string, unknown> {
  const uris = widgetUris(name);
  return {
    "openai/outputTemplate": uris.skybridge,
    "openai/toolInvocation/invoking": WIDGETS[name].invoking,
    "openai/toolInvocation/invoked": WIDGETS[name].invoked,
    "openai/widgetAccessible": false,
    ui: { resourceUri: uris.mcpApp },
    "ui/resourceUri": uris.mcpApp,
  };
}
