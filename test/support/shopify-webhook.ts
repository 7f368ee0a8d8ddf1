// Builds webhook requests signed exactly as Shopify signs them (base64 HMAC-SHA256 of the raw body).
import { createHmac, randomUUID } from "node:crypto";

export function signedWebhook(
  url: string,
  {
    topic,
    shop,
    body,
    secret,
    webhookId = randomUUID(),
    eventId = randomUUID(),
    triggeredAt = new Date().toISOString(),
    apiVersion = "2026-10",
  }: { topic: string; shop: string; body: unknown; secret: string; webhookId?: string; eventId?: string; triggeredAt?: string; apiVersion?: string },
): Request {
  const raw = JSON.stringify(body);
  return new Request(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-API-Version": apiVersion,
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Event-Id": eventId,
      "X-Shopify-Triggered-At": triggeredAt,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(raw, "utf8").digest("base64"),
    },
    body: raw,
  });
}
