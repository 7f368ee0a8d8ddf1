// A PaymentGateway whose calls count as upstream waits of the request (Server-Timing `stripe;dur=…`), so
// benchmarks can tell the app's own time from the PSP's.
import { timeUpstream } from "../observability/upstream-timing";
import type { PaymentGateway } from "./gateway";

export function timedGateway(gateway: PaymentGateway): PaymentGateway {
  return {
    tokenProblem: (token) => gateway.tokenProblem(token),
    canCharge: (amountMinor, currency) => gateway.canCharge(amountMinor, currency),
    charge: (input) => timeUpstream("stripe", () => gateway.charge(input)),
    findCharge: (input) => timeUpstream("stripe", () => gateway.findCharge(input)),
    refund: (input) => timeUpstream("stripe", () => gateway.refund(input)),
    void: (input) => timeUpstream("stripe", () => gateway.void(input)),
  };
}
