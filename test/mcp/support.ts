// Shared by the MCP tests: the demo stack, the official MCP SDK client pointed at its /mcp, and helpers.
import path from "node:path";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { expect } from "vitest";
import { startDemoStack, type DemoStack } from "../../scripts/demo/stack";
import { freePort } from "../support/ports";

export async function startStack(name: string): Promise<DemoStack> {
  return startDemoStack({ port: await freePort(), build: false, log: () => {}, dataDir: mkdtempSync(path.join(tmpdir(), `mcp-${name}-`)) });
}

export const mcpUrl = (stack: DemoStack) => `${stack.appUrl}/mcp`;

export async function connect(stack: DemoStack, key = stack.urls.agentKey): Promise<Client> {
  const client = new Client({ name: "acp-test-agent", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl(stack)), { requestInit: { headers: { Authorization: `Bearer ${key}` } } }));
  return client;
}

/** Calls a tool expecting a JSON-RPC error; returns `{code, message, data}`. */
export async function callError(client: Client, name: string, args: Record<string, unknown>): Promise<{ code: number; message: string; data: any }> {
  try {
    await client.callTool({ name, arguments: args });
  } catch (error) {
    expect(error).toBeInstanceOf(McpError);
    const e = error as McpError;
    return { code: e.code, message: e.message, data: e.data };
  }
  throw new Error(`${name} succeeded but an error was expected`);
}

/** Nothing an agent sees may look like a stack trace or an internal exception. */
export function expectNoInternals(value: unknown): void {
  const text = JSON.stringify(value);
  expect(text).not.toMatch(/\n\s+at |at .+\(.+:\d+:\d+\)|node_modules|Error:|Prisma|TypeError/);
}

export const address = { name: "Ann Lee", line_one: "1 Main St", city: "Austin", state: "TX", country: "US", postal_code: "78701" };
export const buyer = { first_name: "Ann", last_name: "Lee", email: "ann@example.com" };

/** An eligible, stocked, shippable variant of the demo shop, as an agent would pick it from the feed. */
export function stockedItem(stack: DemoStack, minStock = 10): { itemId: string; productTitle: string; price: number } {
  const shop = stack.shopify.shop(stack.urls.shop);
  for (const product of shop.products.values()) {
    if (product.status !== "ACTIVE") continue;
    const variant = product.variants.find((v) => stack.shopify.inventory(stack.urls.shop, v.id) > minStock && v.inventoryItem.requiresShipping);
    if (variant) return { itemId: `gid://shopify/ProductVariant/${variant.id}`, productTitle: product.title, price: variant.price };
  }
  throw new Error("no stocked variant in the demo shop");
}
