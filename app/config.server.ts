// The app's configuration, read once from the environment. Defaults run the demo on a fresh clone; production
// refuses to start on them (checkProductionConfig).
import ipaddr from "ipaddr.js";
import { isPublicAddress } from "./security/outbound.server";

const env = process.env;

function list(value: string | undefined, fallback: string[]): string[] {
  return value ? value.split(",").map((s) => s.trim()).filter(Boolean) : fallback;
}

export const config = {
  shopifyApiKey: env.SHOPIFY_API_KEY ?? "demo-api-key",
  shopifyApiSecret: env.SHOPIFY_API_SECRET ?? "demo-api-secret",
  appUrl: env.SHOPIFY_APP_URL ?? `http://localhost:${env.PORT ?? 3000}`,
  scopes: list(env.SCOPES, ["read_products", "read_inventory", "read_orders", "write_orders", "write_draft_orders", "read_locations"]),
  /** Where Admin GraphQL calls go; `{shop}`/`{version}` are filled in. Real Shopify by default, the simulator in demo/tests. */
  adminUrlTemplate: env.SHOPIFY_ADMIN_URL_TEMPLATE ?? "https://{shop}/admin/api/{version}/graphql.json",
  /** Stripe API base for the payment adapter; unset = api.stripe.com. The demo points it at sim/stripe. */
  stripeApiBase: env.STRIPE_API_BASE,
  /** Demo mode: admin pages open outside Shopify's iframe for the demo shop. Never in production. */
  demoShop: env.DEMO_MODE === "1" ? (env.DEMO_SHOP ?? "demo-outfitters.myshopify.com") : undefined,
};

// ---- production refuses to start misconfigured (docs/decisions/0102) ----------------------------------------

const DEMO_VALUES = new Set(["demo-api-key", "demo-api-secret", "testApiKey", "testApiSecretKey", "changeme", "secret"]);
/** Variables that only the demo and tests may set: each loosens a protection. */
const DEV_OVERRIDES = ["DEMO_MODE", "DEMO_SHOP", "DEMO_AGENT_KEY", "OUTBOUND_ALLOW_PRIVATE", "SHOPIFY_TESTING"];

function isPublicHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (!host || host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal")) return false;
  if (ipaddr.isValid(host)) return isPublicAddress(host); // the outbound module's rule: one notion of "public"
  return host.includes(".");
}

/** Problems with a URL a production server calls out to or is reached at: https, a public host. */
function urlProblem(name: string, value: string): string | null {
  let url: URL;
  try {
    url = new URL(value.replaceAll("{shop}", "example.myshopify.com").replaceAll("{version}", "2026-10"));
  } catch {
    return `${name} is not a URL.`;
  }
  if (url.protocol !== "https:") return `${name} must be an https:// URL in production (it is ${url.protocol}//…).`;
  if (!isPublicHost(url.hostname)) return `${name} must name a public host in production, not ${url.hostname} (the simulators are for the demo and tests).`;
  return null;
}

/** A 32-byte key in base64 (or base64url), as `openssl rand -base64 32` prints; not a passphrase, not a pattern. */
function keyProblem(name: string, value: string): string | null {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) return `${name} must be 32 random bytes in base64 (openssl rand -base64 32), not a passphrase.`;
  const bytes = Buffer.from(trimmed.replaceAll("-", "+").replaceAll("_", "/"), "base64");
  if (bytes.length !== 32) return `${name} must be 32 random bytes in base64 (openssl rand -base64 32), not a passphrase.`;
  if (new Set(bytes).size < 16) return `${name} does not look random (too few distinct bytes); generate one with openssl rand -base64 32.`;
  return null;
}

function encryptionKeyProblems(source: Record<string, string | undefined>): string[] {
  const ring = source.APP_ENCRYPTION_KEYS?.trim();
  if (ring) {
    const problems: string[] = [];
    const entries = ring.split(",").map((s) => s.trim()).filter(Boolean);
    if (entries.length === 0) problems.push("APP_ENCRYPTION_KEYS is set but holds no key.");
    for (const [i, entry] of entries.entries()) {
      const colon = entry.indexOf(":");
      if (colon <= 0) {
        problems.push(`APP_ENCRYPTION_KEYS entry ${i + 1} must be <key id>:<base64 key>.`);
        continue;
      }
      const problem = keyProblem(`APP_ENCRYPTION_KEYS key "${entry.slice(0, colon).slice(0, 32)}"`, entry.slice(colon + 1));
      if (problem) problems.push(problem);
    }
    return problems;
  }
  if (!source.APP_ENCRYPTION_KEY) return ["APP_ENCRYPTION_KEY (or APP_ENCRYPTION_KEYS) must be set in production: 32 random bytes in base64 (openssl rand -base64 32)."];
  const problem = keyProblem("APP_ENCRYPTION_KEY", source.APP_ENCRYPTION_KEY);
  return problem ? [problem] : [];
}

/**
 * What stops a production start, one line per problem (never a secret's value). Empty when the environment is fit
 * for NODE_ENV=production. Pure: the environment is the argument.
 */
export function checkProductionConfig(source: Record<string, string | undefined>, options: { simulatedUpstreams?: boolean } = {}): string[] {
  const problems: string[] = [];
  const apiKey = source.SHOPIFY_API_KEY?.trim();
  if (!apiKey) problems.push("SHOPIFY_API_KEY must be set in production (the app's client id from the Partner Dashboard).");
  else if (DEMO_VALUES.has(apiKey)) problems.push("SHOPIFY_API_KEY is a demo value; set the app's client id.");
  const secret = source.SHOPIFY_API_SECRET?.trim();
  if (!secret) problems.push("SHOPIFY_API_SECRET must be set in production (the app's client secret).");
  else if (DEMO_VALUES.has(secret)) problems.push("SHOPIFY_API_SECRET is a demo value: anyone could sign webhooks and admin tokens; set the app's client secret.");
  else if (secret.length < 16) problems.push("SHOPIFY_API_SECRET is too short to be a Shopify client secret.");
  const appUrl = source.SHOPIFY_APP_URL?.trim();
  if (!appUrl) problems.push("SHOPIFY_APP_URL must be set in production (the app's public https:// URL).");
  else if (!options.simulatedUpstreams) {
    const problem = urlProblem("SHOPIFY_APP_URL", appUrl);
    if (problem) problems.push(problem);
  }
  problems.push(...encryptionKeyProblems(source));
  for (const name of ["SHOPIFY_ADMIN_URL_TEMPLATE", "STRIPE_API_BASE"]) {
    const value = source[name]?.trim();
    const problem = value && !options.simulatedUpstreams ? urlProblem(name, value) : null;
    if (problem) problems.push(problem);
  }
  const metricsToken = source.METRICS_TOKEN;
  if (metricsToken !== undefined && metricsToken.length < 16) problems.push("METRICS_TOKEN is set but shorter than 16 characters; use a random token (or unset it: /metrics then refuses every scrape).");
  if (source.DEMO_MODE) problems.push("Demo mode (DEMO_MODE=1) refuses to run with NODE_ENV=production.");
  for (const name of DEV_OVERRIDES) {
    if (name !== "DEMO_MODE" && source[name] !== undefined && source[name] !== "") problems.push(`${name} is a demo/test setting and must not be set in production.`);
  }
  for (const name of Object.keys(source)) {
    if (/ALLOW_(PRIVATE|LOOPBACK|INSECURE|HTTP)/.test(name) && !DEV_OVERRIDES.includes(name) && source[name]) problems.push(`${name} is a development override and must not be set in production.`);
  }
  return problems;
}

/** Thrown at import in production when the configuration is unfit; scripts/serve.mjs prints `problems` and exits. */
export class ProductionConfigError extends Error {
  readonly configProblems: string[];
  constructor(problems: string[]) {
    super(`Refusing to start with NODE_ENV=production:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ProductionConfigError";
    this.configProblems = problems;
  }
}

/**
 * Set only by bench/serve.mjs before it loads the server: a production build measured against the stand-ins on
 * loopback (docs/decisions/0104). Not an environment variable, so no deploy can carry it by mistake.
 */
const simulatedUpstreams = (globalThis as { __benchmarkWithSimulatedUpstreams?: unknown }).__benchmarkWithSimulatedUpstreams === true;

if (env.NODE_ENV === "production") {
  const problems = checkProductionConfig(env, { simulatedUpstreams });
  if (problems.length > 0) throw new ProductionConfigError(problems);
}
