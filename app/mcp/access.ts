// Who may reach the MCP endpoint from a browser: the Origin and Host values the transport accepts (MCP Streamable
// HTTP transport, Security warning: validate Origin, 403 when it is present and invalid; DNS rebinding).
// docs/decisions/0122. Pure: the app URL and the environment in, two lists out.

/** Origins allowed besides the app's own when MCP_ALLOWED_ORIGINS is unset: ChatGPT's web app. */
export const DEFAULT_EXTRA_ORIGINS = ["https://chatgpt.com"];

export interface McpAccessRules {
  /** Exact `Origin` values accepted when one is sent (scheme://host[:port]). */
  allowedOrigins: string[];
  /** Exact `Host` values accepted (host[:port]). */
  allowedHosts: string[];
}

const LOOPBACK = ["127.0.0.1", "localhost", "[::1]"];

function origin(value: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${variable}: '${value}' is not an origin (scheme://host[:port])`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`${variable}: '${value}' is not an http(s) origin`);
  return url.origin;
}

const list = (value: string | undefined) => (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);

/**
 * The app's own origin and host always; MCP_ALLOWED_ORIGINS (comma-separated origins) replaces the ChatGPT default;
 * MCP_ALLOWED_HOSTS adds Host values (a proxy that forwards another Host). A loopback app URL also accepts the
 * other loopback spellings of itself (127.0.0.1, localhost, [::1]) with the same port.
 */
export function mcpAccessRules(appUrl: string, env: Record<string, string | undefined>): McpAccessRules {
  const app = new URL(origin(appUrl, "SHOPIFY_APP_URL"));
  const own = LOOPBACK.includes(app.hostname) ? LOOPBACK.map((h) => `${app.protocol}//${h}${app.port ? `:${app.port}` : ""}`) : [app.origin];
  const extras = env.MCP_ALLOWED_ORIGINS !== undefined ? list(env.MCP_ALLOWED_ORIGINS).map((o) => origin(o, "MCP_ALLOWED_ORIGINS")) : DEFAULT_EXTRA_ORIGINS;
  const hosts = own.map((o) => new URL(o).host);
  return { allowedOrigins: [...new Set([...own, ...extras])], allowedHosts: [...new Set([...hosts, ...list(env.MCP_ALLOWED_HOSTS).map((h) => h.toLowerCase())])] };
}
