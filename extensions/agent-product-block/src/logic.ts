// What the product-page block shows for a product's agent status, as plain data (tested with vitest; the
// Preact component only renders it). The status type is the app endpoint's response contract
// (app/routes/api.extensions.product.$id.ts builds it in app/admin/extensions.server.ts).

export type ProductFeedState = "eligible" | "needs_attention" | "excluded" | "not_synced";

export interface ProductProblem {
  code: string;
  severity: "error" | "warning";
  message: string;
  fix: string;
  /** How many of the product's variants have it. */
  variants: number;
}

export interface ProductAgentStatus {
  productId: string;
  title: string;
  state: ProductFeedState;
  /** The merchant's own choice for this product (null: the shop's rule decides). */
  choice: "included" | "excluded" | null;
  /** Whether the shop's rule alone would include it. */
  ruleIncludes: boolean;
  variants: number;
  eligibleVariants: number;
  problems: ProductProblem[];
  /** Agents may also buy (not only find) the shop's products. */
  checkoutEnabled: boolean;
}

export type Tone = "success" | "warning" | "critical" | "info" | "neutral";

export interface ProductBlockView {
  badge: { tone: Tone; label: string };
  summary: string;
  /** The switch: on when the product is offered to agents. */
  toggle: { checked: boolean; label: string; disabled: boolean };
  /** Blocking problems first; at most five, the rest counted. */
  problems: Array<{ tone: Tone; text: string; fix: string }>;
  moreProblems: number;
  collapsedSummary: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function productBlockView(s: ProductAgentStatus): ProductBlockView {
  const offered = s.state !== "excluded" && s.state !== "not_synced";
  const sorted = [...s.problems].sort((a, b) => (a.severity === b.severity ? b.variants - a.variants : a.severity === "error" ? -1 : 1));
  const problems = sorted.slice(0, 5).map((p) => ({
    tone: (p.severity === "error" ? "critical" : "warning") as Tone,
    text: s.variants > 1 ? `${p.message} (${plural(p.variants, "variant")})` : p.message,
    fix: p.fix,
  }));
  const toggle = { checked: offered, label: "Sell through AI agents", disabled: s.state === "not_synced" };
  const ruleNote = s.choice === null ? " (by your shop rule)" : "";
  switch (s.state) {
    case "not_synced":
      return { badge: { tone: "neutral", label: "Not synced yet" }, summary: "This product is not in the app's catalog yet; it appears after the next sync.", toggle, problems: [], moreProblems: 0, collapsedSummary: "Not synced yet" };
    case "excluded":
      return {
        badge: { tone: "neutral", label: "Not sold by agents" },
        summary: s.choice === "excluded" ? "You excluded this product: agents cannot find or buy it." : "Your shop rule leaves this product out: agents cannot find or buy it.",
        toggle,
        problems,
        moreProblems: Math.max(0, sorted.length - problems.length),
        collapsedSummary: "Not sold by agents",
      };
    case "needs_attention":
      return {
        badge: { tone: "critical", label: s.eligibleVariants > 0 ? "Partly in the feed" : "Kept out of the feed" },
        summary: `Offered to agents${ruleNote}, but ${s.eligibleVariants === 0 ? "no variant" : `only ${s.eligibleVariants} of ${plural(s.variants, "variant")}`} can be published. Fix the problems below in Shopify.`,
        toggle,
        problems,
        moreProblems: Math.max(0, sorted.length - problems.length),
        collapsedSummary: s.eligibleVariants > 0 ? `${s.eligibleVariants} of ${s.variants} in the feed` : "Kept out of the feed",
      };
    case "eligible":
      return {
        badge: { tone: "success", label: s.checkoutEnabled ? "Sold by agents" : "Found by agents" },
        summary: `${s.variants === 1 ? "This product is" : `All ${s.variants} variants are`} in the agent feed${ruleNote}${s.checkoutEnabled ? "; agents can buy it." : "; checkout by agents is off in feed settings."}`,
        toggle,
        problems,
        moreProblems: Math.max(0, sorted.length - problems.length),
        collapsedSummary: s.checkoutEnabled ? "Sold by agents" : "Found by agents",
      };
  }
}

/** The id the endpoint takes: the numeric part of the product GID the admin gives the block. */
export function productIdParam(gid: string): string | null {
  const match = /^gid:\/\/shopify\/Product\/(\d+)$/.exec(gid);
  return match ? match[1] : null;
}
