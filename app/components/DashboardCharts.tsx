// Charts for the dashboard, drawn with Shopify's polaris-viz in the browser only (docs/decisions/0082): the library
// measures its container and its d3 dependencies are ESM-only, so it is imported after hydration. The drawing is
// hidden from assistive technology; a visually hidden table carries the same numbers.
import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from "react";

export interface ChartPoint {
  key: string;
  value: number;
}
export interface ChartSeries {
  name: string;
  data: ChartPoint[];
}

const Viz = lazy(async () => {
  const viz = await import("@shopify/polaris-viz");
  function Chart({ kind, data, valueFormat }: { kind: "line" | "bar" | "donut"; data: ChartSeries[]; valueFormat?: "money" }) {
    const yAxisOptions = valueFormat === "money" ? { labelFormatter: (v: string | number | null) => `${Number(v ?? 0).toLocaleString("en-US")}` } : undefined;
    return (
      <viz.PolarisVizProvider defaultTheme="Light">
        {kind === "line" ? <viz.LineChart data={data} theme="Light" isAnimated={false} yAxisOptions={yAxisOptions} /> : null}
        {kind === "bar" ? <viz.BarChart data={data} theme="Light" isAnimated={false} yAxisOptions={yAxisOptions} /> : null}
        {kind === "donut" ? <viz.DonutChart data={data} theme="Light" isAnimated={false} legendPosition="right" /> : null}
      </viz.PolarisVizProvider>
    );
  }
  return { default: Chart };
});

function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

const VISUALLY_HIDDEN = { position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" } as const;

/** The chart's numbers as a table for assistive technology (the drawing itself is hidden from it). */
function DataTableForReaders({ kind, data, label }: { kind: "line" | "bar" | "donut"; data: ChartSeries[]; label: string }) {
  const rows: Array<Array<string | number>> =
    kind === "donut" ? data.map((s) => [s.name, s.data.reduce((sum, p) => sum + p.value, 0)]) : (data[0]?.data ?? []).map((p, i) => [p.key, ...data.map((s) => s.data[i]?.value ?? 0)]);
  const headings = kind === "donut" ? ["", "Count"] : ["Day", ...data.map((s) => s.name)];
  return (
    <div style={VISUALLY_HIDDEN}>
      <table>
        <caption>{label}</caption>
        <thead>
          <tr>
            {headings.map((h, i) => (
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (j === 0 ? <th key={j} scope="row">{cell}</th> : <td key={j}>{cell}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A chart with a fixed height, drawn after hydration; its numbers are always in the page as a table for readers. */
export function DashboardChart({ kind, data, label, height = 260, valueFormat }: { kind: "line" | "bar" | "donut"; data: ChartSeries[]; label: string; height?: number; valueFormat?: "money" }): ReactNode {
  const hydrated = useHydrated();
  const drawing = useRef<HTMLDivElement>(null);
  // The drawing is hidden from assistive technology, so nothing in it may take keyboard focus either (the table
  // carries the numbers); mouse tooltips keep working.
  useEffect(() => {
    const root = drawing.current;
    if (!root) return;
    const options = { subtree: true, childList: true, attributes: true, attributeFilter: ["tabindex"] };
    const observer = new MutationObserver(() => unfocus());
    function unfocus() {
      observer.disconnect(); // our own writes must not wake the observer again
      root!.querySelectorAll<HTMLElement>('[tabindex]:not([tabindex="-1"]), a[href]:not([tabindex]), button:not([tabindex])').forEach((el) => el.setAttribute("tabindex", "-1"));
      observer.observe(root!, options);
    }
    unfocus();
    return () => observer.disconnect();
  }, [hydrated]);
  return (
    <figure data-chart={kind} style={{ margin: 0, position: "relative" }}>
      <div aria-hidden="true" ref={drawing} style={{ height }}>
        {hydrated ? (
          <Suspense fallback={null}>
            <Viz kind={kind} data={data} valueFormat={valueFormat} />
          </Suspense>
        ) : null}
      </div>
      <DataTableForReaders kind={kind} data={data} label={label} />
    </figure>
  );
}
