// GET /app/privacy/:id/export — the decrypted export of one of the signed-in shop's data requests, as a JSON
// download, until it expires (410 after; docs/decisions/0107). Another shop's request id is 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "../admin-context.server";
import { services } from "../services.server";
import { exportForDownload } from "../privacy/requests.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  const result = await exportForDownload(services.db, shopDomain, String(params.id ?? ""));
  const headers = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
  if (result.kind === "not_found") return new Response("Not found", { status: 404, headers });
  if (result.kind === "gone") return new Response("This export has expired and was deleted.", { status: 410, headers });
  return new Response(result.json, {
    status: 200,
    headers: { ...headers, "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="${result.filename}"` },
  });
};
