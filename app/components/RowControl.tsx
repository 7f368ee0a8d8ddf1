// IndexTable selects a row on any click inside it (and calls preventDefault, which would swallow a form submit).
// Controls in a row sit in this wrapper, which stops the click there; React bubbles portal events (a popover's
// content) through the same tree, so those stop here too.
import type { MouseEvent, ReactNode } from "react";

export function RowControl({ children }: { children: ReactNode }) {
  return <div onClick={(e: MouseEvent) => e.stopPropagation()}>{children}</div>;
}
