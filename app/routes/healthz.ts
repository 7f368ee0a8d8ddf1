import { json } from "@remix-run/node";

// Liveness: the process answers. (Readiness, which checks the database, is /readyz.)
export const loader = () => json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
