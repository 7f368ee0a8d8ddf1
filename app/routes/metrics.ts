import type { LoaderFunctionArgs } from "@remix-run/node";
import { services } from "../services.server";

// Prometheus scrape endpoint. With METRICS_TOKEN set (required in production) it needs `Authorization: Bearer <token>`.
export const loader = ({ request }: LoaderFunctionArgs) => services.metricsResponse(request);
