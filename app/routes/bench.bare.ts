import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

// The benchmarks' floor: a bare Remix resource route returning a JSON body of the requested size, through the
// same server and Remix request handling as the ACP routes. Served only when BENCH_ROUTES=1.
function bare(request: Request): Response {
  if (process.env.BENCH_ROUTES !== "1") return new Response("Not Found", { status: 404 });
  const bytes = Math.min(1_000_000, Math.max(2, Number(new URL(request.url).searchParams.get("bytes") ?? 2000)));
  const body = JSON.stringify({ padding: "x".repeat(Math.max(0, bytes - 14)) });
  return new Response(body, { status: 200, headers: { "Content-Type": "application/json" } });
}

export const loader = ({ request }: LoaderFunctionArgs) => bare(request);
export const action = ({ request }: ActionFunctionArgs) => bare(request);
