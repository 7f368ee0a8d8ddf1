// Wire ↔ model pieces shared by every ACP version: addresses, buyers, links, messages, line quantities.
import type { Address, Buyer, CheckoutMessage, FulfillmentDetails, PolicyLink, RequestedLine } from "../../checkout/model";
import { invalidRequest } from "../errors";
import { addressProblem, normalizedAddress, wireField } from "../../shopify/address-rules";

export type Json = Record<string, unknown>;

export const MAX_QUANTITY = 9999;

export interface WireAddress {
  name: string;
  line_one: string;
  line_two?: string;
  city: string;
  state: string;
  country: string;
  postal_code: string;
  company?: string;
}

/**
 * An address as the store will use it; `param` is where it sits in the request. A value Shopify's
 * MailingAddressInput would refuse is a 400 naming the field here, before any Admin call or charge (0121).
 */
export function readAddress(a: WireAddress, param: string): Address {
  const address: Address = {
    name: a.name,
    lineOne: a.line_one,
    lineTwo: a.line_two || undefined,
    city: a.city,
    state: a.state,
    country: a.country.toUpperCase(),
    postalCode: a.postal_code,
    company: a.company || undefined,
  };
  const problem = addressProblem(address);
  if (problem) throw invalidRequest(400, "invalid_request", `${param}.${problem.message}`, `${param}.${wireField(problem.field)}`);
  return normalizedAddress(address);
}

export function writeAddress(a: Address, withCompany: boolean): WireAddress {
  return compact({
    name: a.name,
    line_one: a.lineOne,
    line_two: a.lineTwo,
    city: a.city,
    state: a.state,
    country: a.country,
    postal_code: a.postalCode,
    company: withCompany ? a.company : undefined,
  }) as unknown as WireAddress;
}

export function readBuyer(b: Json | undefined): Buyer | undefined {
  if (!b) return undefined;
  return compact({
    email: b.email as string | undefined,
    firstName: b.first_name as string | undefined,
    lastName: b.last_name as string | undefined,
    fullName: b.full_name as string | undefined,
    phoneNumber: b.phone_number as string | undefined,
  }) as Buyer;
}

export function readFulfillmentDetails(d: Json | undefined): FulfillmentDetails | undefined {
  if (!d) return undefined;
  return compact({
    name: d.name as string | undefined,
    phoneNumber: d.phone_number as string | undefined,
    email: d.email as string | undefined,
    address: d.address ? readAddress(d.address as WireAddress, "$.fulfillment_details.address") : undefined,
  }) as FulfillmentDetails;
}

/** Quantities must be whole units; ACP 2025-09-29 types them as "number > 0" and 2026-04-17 cannot carry them. */
export function readQuantity(value: unknown, param: string): number {
  if (value === undefined) return 1;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_QUANTITY) {
    throw invalidRequest(400, "invalid_quantity", `${param} must be a whole number from 1 to ${MAX_QUANTITY}.`, param);
  }
  return value;
}

export function requestedLines(entries: { id: string; quantity: number }[]): RequestedLine[] {
  return entries.map((e) => ({ itemId: e.id, quantity: e.quantity }));
}

export function writeMessage(m: CheckoutMessage, withResolution: boolean): Json {
  return compact({
    type: m.type,
    code: m.type === "info" ? undefined : m.code,
    param: m.param,
    content_type: "plain",
    content: m.content,
    resolution: withResolution && m.type !== "info" ? m.resolution : undefined,
  });
}

export function writeLinks(links: PolicyLink[], allowed: readonly string[]): Json[] {
  return links.filter((l) => allowed.includes(l.type)).map((l) => compact({ type: l.type, url: l.url, title: l.title }));
}

/** Drops undefined fields so optional properties are absent rather than null. */
export function compact<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}
