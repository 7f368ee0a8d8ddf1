// A product's (or variant's) feed problems as a count in a badge whose tone says how bad they are; the badge opens a
// popover with every problem in full and how to fix it in Shopify (issue 16 item 1). In an IndexTable row, opening
// or using it never selects the row (RowControl).
import { useState, type CSSProperties } from "react";
import { Badge, BlockStack, Box, Popover, Text } from "@shopify/polaris";
import { RowControl } from "./RowControl";

export interface ProblemItem {
  code: string;
  severity: "error" | "warning";
  message: string;
  fix: string;
  /** How many of the product's variants have it. */
  variants: number;
}

export interface ProblemSummary {
  errors: number;
  warnings: number;
  list: ProblemItem[];
}

/** A native button that shows only the badge (Polaris' Button takes text only); the browser's focus ring stays. */
const BADGE_BUTTON: CSSProperties = { background: "none", border: 0, padding: 0, margin: 0, font: "inherit", cursor: "pointer", borderRadius: "var(--p-border-radius-200)" };

export function problemCountLabel(summary: ProblemSummary): string {
  const n = summary.list.length;
  return `${n} problem${n === 1 ? "" : "s"}`;
}

export function ProductProblems({ subject, summary, variantCount }: { subject: string; summary: ProblemSummary; variantCount: number }) {
  const [open, setOpen] = useState(false);
  if (!summary.list.length) return <Text as="span" tone="subdued">None</Text>;
  const label = problemCountLabel(summary);
  const blocking = summary.errors > 0;
  return (
    <RowControl>
      <Popover
        active={open}
        onClose={() => setOpen(false)}
        preferredAlignment="right"
        ariaHaspopup="dialog"
        activator={
          <button
            type="button"
            style={BADGE_BUTTON}
            aria-expanded={open}
            aria-label={`${label} with ${subject}: show them and how to fix them`}
            data-problems-button=""
            onClick={() => setOpen((was) => !was)}
          >
            <Badge tone={blocking ? "critical" : "warning"}>{label}</Badge>
          </button>
        }
      >
        <Box padding="400" maxWidth="380px">
          <BlockStack gap="300">
            <Text as="h3" variant="headingSm">
              {subject}
            </Text>
            <Text as="p" tone="subdued">
              {blocking ? "Agents cannot sell the variants with a blocking problem until it is fixed in Shopify." : "These do not block the feed, but agents may show the product less."}
            </Text>
            <BlockStack as="ul" gap="300" data-problems-list="">
              {summary.list.map((p) => (
                <li key={p.code} style={{ listStyle: "none" }}>
                  <BlockStack gap="050">
                    <Text as="p" fontWeight="semibold" tone={p.severity === "error" ? "critical" : "caution"}>
                      {p.severity === "error" ? "Blocks the feed: " : "Lowers visibility: "}
                      {p.message}
                    </Text>
                    <Text as="p">{p.fix}</Text>
                    {variantCount > 1 ? (
                      <Text as="p" tone="subdued">
                        {p.variants === variantCount ? `All ${variantCount} variants` : `${p.variants} of ${variantCount} variants`}
                      </Text>
                    ) : null}
                  </BlockStack>
                </li>
              ))}
            </BlockStack>
          </BlockStack>
        </Box>
      </Popover>
    </RowControl>
  );
}
