// Delivers one order event to the agent platform's endpoint: signed raw body, a deadline, and a verdict the
// outbox understands (4xx other than 408/429 is permanent; everything else is retried).
import { signMerchantPayload, MERCHANT_SIGNATURE_HEADER } from "../acp/merchant-signature";
import { timeUpstream } from "../observability/upstream-timing";
import type { DeliveryResult } from "./outbox.server";

export interface AgentWebhookTarget {
  url: string;
  secret: string;
}

export async function postAgentWebhook(
  target: AgentWebhookTarget,
  body: unknown,
  { requestId, now = () => Date.now(), fetchImpl = fetch, timeoutMs = 10_000 }: { requestId: string; now?: () => number; fetchImpl?: typeof fetch; timeoutMs?: number },
): Promise<DeliveryResult> {
  const raw = JSON.stringify(body);
  const t = Math.floor(now() / 1000);
  try {
    const res = await timeUpstream("agent", () =>
      fetchImpl(target.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          [MERCHANT_SIGNATURE_HEADER]: signMerchantPayload(raw, target.secret, t),
          "Request-Id": requestId,
          Timestamp: new Date(t * 1000).toISOString(),
        },
        body: raw,
        signal: AbortSignal.timeout(timeoutMs),
      }),
    );
    if (res.ok) return { ok: true };
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
    return { ok: false, error: `HTTP ${res.status}`, permanent };
  } catch (error) {
    return { ok: false, error: (error as Error).name === "TimeoutError" ? "timeout" : (error as Error).message };
  }
}
