import { describe, expect, it } from "vitest";
import { allocate, decimalToMinor, minorToDecimal } from "../money";
import { cartTotals, priceLines, totalsProblems } from "./totals";
import { assertAllowed, IllegalTransitionError, readiness } from "./status";

describe("money", () => {
  it("converts Shopify decimals exactly, per currency exponent", () => {
    expect(decimalToMinor("19.99", "usd")).toBe(1999);
    expect(decimalToMinor("0.1", "USD")).toBe(10);
    expect(decimalToMinor("100", "jpy")).toBe(100);
    expect(decimalToMinor("1.234", "kwd")).toBe(1234);
    expect(minorToDecimal(1999, "usd")).toBe("19.99");
    expect(minorToDecimal(5, "usd")).toBe("0.05");
    expect(minorToDecimal(100, "jpy")).toBe("100");
  });
  it("allocates without losing a cent", () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(7, [0, 0])).toEqual([7, 0]);
    expect(allocate(0, [5, 5])).toEqual([0, 0]);
  });
});

describe("totals", () => {
  it("obey the spec arithmetic with tax allocated to lines and shipping tax on the cart", () => {
    const lines = priceLines([{ unitAmount: 333, quantity: 3, baseAmount: 999, discount: 100 }, { unitAmount: 1, quantity: 1, baseAmount: 1, discount: 0 }], 91);
    const totals = cartTotals(lines, 0, 500, 25);
    expect(totalsProblems(lines, totals)).toEqual([]);
    expect(totals.total).toBe(999 - 100 + 1 + 500 + 91 + 25);
  });
});

describe("status machine", () => {
  it("forbids operations on terminal sessions", () => {
    expect(() => assertAllowed("cancel", "canceled")).toThrow(IllegalTransitionError);
    expect(() => assertAllowed("update", "completed")).toThrow(IllegalTransitionError);
    expect(() => assertAllowed("complete", "not_ready_for_payment")).toThrow(IllegalTransitionError);
    expect(() => assertAllowed("cancel", "ready_for_payment")).not.toThrow();
  });
  it("is ready only with items, address, option, email and no errors", () => {
    const base = { lines: [{}] as never[], buyer: { email: "a@b.c" }, fulfillmentDetails: { address: {} as never }, selectedFulfillmentOptionId: "x" };
    expect(readiness(base, [])).toBe("ready_for_payment");
    expect(readiness({ ...base, buyer: undefined }, [])).toBe("not_ready_for_payment");
    expect(readiness(base, [{ type: "error", code: "out_of_stock", content: "x" }])).toBe("not_ready_for_payment");
    expect(readiness(base, [{ type: "warning", code: "low_stock", content: "x" }])).toBe("ready_for_payment");
  });
});
