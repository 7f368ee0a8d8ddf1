// The merchant's selling settings: validation and storage. Secrets are write-only: stored encrypted, never read
// back into a page; a blank secret field means "keep the current one".
import type { PrismaClient, Shop } from "@prisma/client";
import { z } from "zod";
import { encryptSecret } from "../security/secrets.server";
import { checkOutboundUrl, urlProblemMessage } from "../security/outbound.server";
import { shopSecret } from "../security/encrypted-columns.server";

export const ORDER_EVENT_NAMING = {
  spec: { created: "order_create", updated: "order_update" },
  openai: { created: "order_created", updated: "order_updated" },
} as const;
export type OrderEventNaming = keyof typeof ORDER_EVENT_NAMING;

const optionalSecret = z
  .string()
  .trim()
  .max(500)
  .transform((v) => (v === "" ? undefined : v));

/** The order-event endpoint is called by the app: the outbound rules decide what it may be (docs/decisions/0115). */
function checkWebhookUrl(value: string, ctx: { addIssue: (issue: { code: "custom"; message: string }) => void }): void {
  if (value === "") return;
  const checked = checkOutboundUrl(value);
  if (!checked.ok) ctx.addIssue({ code: "custom", message: urlProblemMessage(checked.problem) });
}

export const SettingsInput = z.object({
  checkoutMode: z.enum(["agent_payment", "handoff"]),
  sessionTtlMinutes: z.coerce.number().int().min(5, "At least 5 minutes").max(10_080, "At most 7 days"),
  stripeSecretKey: optionalSecret.refine((v) => v === undefined || /^(sk|rk)_(test|live)_[A-Za-z0-9]{4,}$/.test(v), "Enter a Stripe secret key (sk_test_… or sk_live_…)"),
  stripeAccountId: z
    .string()
    .trim()
    .refine((v) => v === "" || /^acct_[A-Za-z0-9]{6,}$/.test(v), "Enter your Stripe account id (acct_…)"),
  orderWebhookUrl: z
    .string()
    .trim()
    .superRefine(checkWebhookUrl),
  orderWebhookSecret: optionalSecret.refine((v) => v === undefined || v.length >= 16, "Use at least 16 characters"),
  orderEventNaming: z.enum(["spec", "openai"]),
  signatureRequired: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
  signatureSecret: optionalSecret.refine((v) => v === undefined || v.length >= 16, "Use at least 16 characters"),
});
export type SettingsInput = z.infer<typeof SettingsInput>;

export type SettingsErrors = Partial<Record<keyof SettingsInput, string>>;

export function parseSettings(form: Record<string, unknown>): { ok: true; value: SettingsInput } | { ok: false; errors: SettingsErrors } {
  const parsed = SettingsInput.safeParse(form);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: SettingsErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0] as keyof SettingsInput;
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/** Cross-field rules that need the stored state (a required signature needs a secret, set now or before). */
export function checkAgainstShop(shop: Shop, value: SettingsInput): SettingsErrors {
  const errors: SettingsErrors = {};
  if (value.signatureRequired && !value.signatureSecret && !shop.signatureSecretEnc) errors.signatureSecret = "Set a signing secret to require signatures";
  if (value.orderWebhookUrl && !value.orderWebhookSecret && !shop.orderWebhookSecretEnc) errors.orderWebhookSecret = "Set the secret the agent gave you for order events";
  if (value.checkoutMode === "agent_payment" && (value.stripeSecretKey || shop.stripeSecretKeyEnc) && !value.stripeAccountId) {
    errors.stripeAccountId = "Agents need your Stripe account id to create payment tokens for you";
  }
  return errors;
}

export async function saveSettings(db: PrismaClient, shop: Shop, value: SettingsInput): Promise<Shop> {
  return db.shop.update({
    where: { id: shop.id },
    data: {
      checkoutMode: value.checkoutMode,
      sessionTtlMinutes: value.sessionTtlMinutes,
      stripeAccountId: value.stripeAccountId || null,
      ...(value.stripeSecretKey ? { stripeSecretKeyEnc: encryptSecret(value.stripeSecretKey, shopSecret("stripeSecretKeyEnc", shop.id)), stripeMode: value.stripeSecretKey.includes("_live_") ? "live" : "test" } : {}),
      orderWebhookUrl: value.orderWebhookUrl || null,
      ...(value.orderWebhookSecret ? { orderWebhookSecretEnc: encryptSecret(value.orderWebhookSecret, shopSecret("orderWebhookSecretEnc", shop.id)) } : {}),
      orderEventNamesJson: JSON.stringify(ORDER_EVENT_NAMING[value.orderEventNaming]),
      signatureRequired: value.signatureRequired,
      ...(value.signatureSecret ? { signatureSecretEnc: encryptSecret(value.signatureSecret, shopSecret("signatureSecretEnc", shop.id)) } : {}),
    },
  });
}

/** What the settings page may show: no secret, only whether one is set. */
export function settingsView(shop: Shop) {
  const names = JSON.parse(shop.orderEventNamesJson || "{}") as { created?: string };
  return {
    checkoutMode: shop.checkoutMode,
    sessionTtlMinutes: shop.sessionTtlMinutes,
    stripeAccountId: shop.stripeAccountId ?? "",
    stripeMode: shop.stripeMode,
    stripeKeySet: Boolean(shop.stripeSecretKeyEnc),
    orderWebhookUrl: shop.orderWebhookUrl ?? "",
    orderWebhookSecretSet: Boolean(shop.orderWebhookSecretEnc),
    orderEventNaming: (names.created === ORDER_EVENT_NAMING.openai.created ? "openai" : "spec") as OrderEventNaming,
    signatureRequired: shop.signatureRequired,
    signatureSecretSet: Boolean(shop.signatureSecretEnc),
  };
}
