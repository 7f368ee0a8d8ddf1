// Coercion of form values to the types Stripe documents, with Stripe's validation messages.
// Validation errors carry codes in VALIDATION_CODES: Stripe does not store an idempotent result for
// a request that failed validation before the endpoint started executing, and neither does the sim.
import type { FormObject, FormValue } from "./form";
import { invalidRequest, missingParam, unknownParam } from "./errors";

export const VALIDATION_CODES = new Set([
  "parameter_missing",
  "parameter_unknown",
  "parameter_invalid_integer",
  "parameter_invalid_empty",
  "parameter_invalid_string_blank",
  "parameter_invalid",
]);

function invalid(param: string, message: string, code = "parameter_invalid") {
  return invalidRequest(message, { code, param });
}

/** Rejects parameters the endpoint does not know, like Stripe does (catches typos in the app). */
export function allowOnly(params: FormObject, allowed: readonly string[], prefix = ""): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) throw unknownParam(prefix ? `${prefix}[${key}]` : key);
  }
}

export function optString(params: FormObject, key: string, param = key): string | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw invalid(param, `Invalid string: ${JSON.stringify(v)}`);
  return v;
}

export function reqString(params: FormObject, key: string, param = key): string {
  const v = optString(params, key, param);
  if (v === undefined) throw missingParam(param);
  if (v === "") throw invalid(param, `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`, "parameter_invalid_empty");
  return v;
}

export function optInt(params: FormObject, key: string, param = key): number | undefined {
  const v = optString(params, key, param);
  if (v === undefined) return undefined;
  // Integers only: Stripe rejects "10.5" and "1e3" alike; money stays in integer minor units.
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw invalid(param, `Invalid integer: ${v}`, "parameter_invalid_integer");
  }
  return Number(v);
}

export function reqInt(params: FormObject, key: string, param = key): number {
  const v = optInt(params, key, param);
  if (v === undefined) throw missingParam(param);
  return v;
}

export function optBool(params: FormObject, key: string, param = key): boolean | undefined {
  const v = optString(params, key, param);
  if (v === undefined) return undefined;
  if (v === "true") return true;
  if (v === "false") return false;
  throw invalid(param, `Invalid boolean: ${v}`);
}

export function optObject(params: FormObject, key: string, param = key): FormObject | undefined {
  const v: FormValue | undefined = params[key];
  if (v === undefined || v === "") return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw invalid(param, `Invalid hash`);
  return v;
}

export function optEnum<T extends string>(params: FormObject, key: string, values: readonly T[], param = key): T | undefined {
  const v = optString(params, key, param);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) {
    throw invalid(param, `Invalid ${param}: must be one of ${values.join(", ")}`);
  }
  return v as T;
}

export function currency(params: FormObject, key: string, param = key): string {
  const v = reqString(params, key, param).toLowerCase();
  if (!/^[a-z]{3}$/.test(v)) throw invalid(param, `Invalid currency: ${v}. Stripe currently supports these currencies: usd, eur, gbp, cad, ...`);
  return v;
}

/** Stripe metadata: ≤50 keys, key ≤40 chars, value ≤500 chars, strings only. */
export function metadata(params: FormObject, key = "metadata"): Record<string, string> {
  const obj = optObject(params, key);
  const out: Record<string, string> = {};
  if (!obj) return out;
  const keys = Object.keys(obj);
  if (keys.length > 50) throw invalid(key, "Invalid metadata: metadata can have up to 50 keys.");
  for (const k of keys) {
    const v = obj[k];
    if (typeof v !== "string") throw invalid(`${key}[${k}]`, `Invalid string: ${JSON.stringify(v)}`);
    if (k.length > 40) throw invalid(`${key}[${k}]`, "Metadata keys can have up to 40 characters.");
    if (v.length > 500) throw invalid(`${key}[${k}]`, "Metadata values can have up to 500 characters.");
    if (v !== "") out[k] = v; // an empty value unsets the key
  }
  return out;
}

/** `expand[]` names; only used to inline objects the sim knows about. */
export function expandList(params: FormObject): string[] {
  const v = params.expand;
  if (v === undefined) return [];
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  throw invalid("expand", "Invalid array");
}

/** Pagination params shared by list endpoints. */
export function listLimit(params: FormObject): number {
  const limit = optInt(params, "limit") ?? 10;
  if (limit < 1 || limit > 100) throw invalid("limit", "Invalid limit: must be between 1 and 100");
  return limit;
}
