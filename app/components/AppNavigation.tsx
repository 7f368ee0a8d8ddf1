import { NavMenu } from "@shopify/app-bridge-react";
import { Link as RemixLink, useLocation } from "@remix-run/react";
import { Box, InlineStack, Text } from "@shopify/polaris";

export const NAV_LINKS = [
  { to: "/app", label: "Home" },
  { to: "/app/products", label: "Products" },
  { to: "/app/orders", label: "Orders" },
  { to: "/app/dashboard", label: "Dashboard" },
  { to: "/app/feed", label: "Feed" },
  { to: "/app/settings", label: "Settings" },
  { to: "/app/privacy", label: "Privacy requests" },
];

/** Inside Shopify's admin the nav lives in App Bridge's menu; in demo mode (no iframe) it is a plain bar. */
export function AppNavigation({ embedded, shopName }: { embedded: boolean; shopName: string }) {
  const location = useLocation();
  if (embedded) {
    return (
      <NavMenu>
        {NAV_LINKS.map((link) => (
          <RemixLink key={link.to} to={link.to} rel={link.to === "/app" ? "home" : undefined}>
            {link.label}
          </RemixLink>
        ))}
      </NavMenu>
    );
  }
  return (
    <Box background="bg-surface" padding="300" borderBlockEndWidth="025" borderColor="border">
      <InlineStack gap="400" blockAlign="center">
        <Text as="span" variant="headingMd">
          {shopName}
        </Text>
        <Text as="span" tone="subdued">
          Demo mode
        </Text>
        <nav aria-label="App">
          <InlineStack gap="300">
            {NAV_LINKS.map((link) => {
              const current = link.to === "/app" ? location.pathname === "/app" : location.pathname.startsWith(link.to);
              return (
                <RemixLink key={link.to} to={link.to} aria-current={current ? "page" : undefined} style={{ fontWeight: current ? 650 : 450 }}>
                  {link.label}
                </RemixLink>
              );
            })}
          </InlineStack>
        </nav>
      </InlineStack>
    </Box>
  );
}
