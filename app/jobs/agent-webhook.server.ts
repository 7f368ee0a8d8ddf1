// Delivers one order event to the agent platform's endpoint: signed raw body, a deadline, and a verdict the
// outbox understands (4xx other than 408/429 is permanent; everything else is retried). The endpoint is a
// merchant-set URL, so the call goes through the outbound rules (app/security/outbound.server.ts): public
// addresses only, no redirects followed, and only a failure class with a fixed message is reported — never the
// endpoint's own text (docs/decisions/0115).
import { signMerchantPayload, MERCHANT_SIGNATURE_HEADER } from "../acp/merchant-signature";
import { timeUpstream } from "../observability/upstream-timing";
import { checkOutboundUrl, classifyError, describeFailure, failureForStatus, outboundPolicy, outboundRequest, type OutboundDeps } from "../security/outbound.server";
import type { DeliveryResult } from "./outbox.server";

export interface AgentWebhookTarget {
  url: string;
  secret: string;
}

export async function postAgentWebhook(
  target: AgentWebhookTarget,
  body: unknown,
  {
    requestId,
    now = () => Date.now(),
    fetchImpl,
    timeoutMs = 10_000,
    outbound = {},
  }: { requestId: string; now?: () => number; fetchImpl?: typeof fetch; timeoutMs?: number; outbound?: OutboundDeps },
): Promise<DeliveryResult> {
  const checked = checkOutboundUrl(target.url, outboundPolicy(outbound.env));
  if (!checked.ok) {
    const failure = checked.problem === "address" ? "refused_address" : "invalid_url";
    return { ok: false, error: describeFailure(failure), permanent: true };
  }
  const raw = JSON.stringify(body);
  const t = Math.floor(now() / 1000);
  const headers = {
    "Content-Type": "application/json",
    [MERCHANT_SIGNATURE_HEADER]: signMerchantPayload(raw, target.secret, t),
    "Request-Id": requestId,
    Timestamp: new Date(t * 1000).toISOString(),
  };
  let status: number;
  try {
    status = await timeUpstream("agent", async () => {
      if (fetchImpl) {
        // Tests at the network edge; still never follows a redirect.
        const res = await fetchImpl(target.url, { method: "POST", headers, body: raw, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
        await res.body?.cancel();
        return res.status;
      }
      return (await outboundRequest(target.url, { method: "POST", headers, body: raw, timeoutMs, maxResponseBytes: 1024 }, outbound)).status;
    });
  } catch (error) {
    // Retried: a DNS answer, a certificate or a network can change (a refused address stays refused, visibly).
    return { ok: false, error: describeFailure(classifyError(error)) };
  }
  const failure = failureForStatus(status);
  if (!failure) return { ok: true };
  const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
  return { ok: false, error: describeFailure(failure, status), permanent };
}
