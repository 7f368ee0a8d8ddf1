// The official JSON Schema bundles (spec/acp/<version>/json-schema, byte-exact copies), compiled once per
// version with ajv. Requests are validated in the app; tests validate responses with the same validators.
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import bundle20260417 from "../../spec/acp/2026-04-17/json-schema/schema.agentic_checkout.json";
import bundle20250929 from "../../spec/acp/2025-09-29/json-schema/schema.agentic_checkout.json";
import { V2025_09_29, V2026_04_17, type AcpVersion } from "./versions";

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

export type SchemaName =
  | "CheckoutSessionCreateRequest"
  | "CheckoutSessionUpdateRequest"
  | "CheckoutSessionCompleteRequest"
  | "CancelSessionRequest"
  | "CheckoutSession"
  | "CheckoutSessionWithOrder"
  | "Error"
  | "DiscoveryResponse";

const BUNDLES: Record<AcpVersion, Record<string, unknown>> = {
  [V2026_04_17]: bundle20260417 as Record<string, unknown>,
  [V2025_09_29]: draft4ExclusiveMinimum(bundle20250929) as Record<string, unknown>,
};

/** Set by bench/serve.mjs only (BENCH_ROUTES=1): each validator handed out is one validation run by its caller. */
const benchCounters = (globalThis as { __benchCounters?: { schemaValidations: number } }).__benchCounters;

const compiled = new Map<string, ValidateFunction>();
const instances = new Map<AcpVersion, Ajv2020>();

function ajvFor(version: AcpVersion): Ajv2020 {
  let ajv = instances.get(version);
  if (!ajv) {
    // strict: false — the bundles use the non-standard `example` keyword; allErrors off: first error wins.
    ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
    addFormats(ajv);
    ajv.addSchema(BUNDLES[version], "bundle");
    instances.set(version, ajv);
  }
  return ajv;
}

/** The validator for one definition of one version's bundle, or undefined if that version has no such definition. */
export function validatorFor(version: AcpVersion, name: SchemaName): ValidateFunction | undefined {
  if (benchCounters) benchCounters.schemaValidations++;
  const key = `${version}#${name}`;
  let validate = compiled.get(key);
  if (!validate) {
    const defs = (BUNDLES[version] as { $defs: Record<string, unknown> }).$defs;
    if (!defs[name]) return undefined;
    validate = ajvFor(version).compile({ $ref: `bundle#/$defs/${name}` });
    compiled.set(key, validate);
  }
  return validate;
}

/** Compiles every request validator now, so the first request does not pay for it. */
export function warmValidators(): void {
  for (const version of Object.keys(BUNDLES) as AcpVersion[]) {
    for (const name of ["CheckoutSessionCreateRequest", "CheckoutSessionUpdateRequest", "CancelSessionRequest", "CheckoutSessionCompleteRequest"] as const) {
      validatorFor(version, name);
    }
  }
}

/** An ajv error as an RFC 9535 JSONPath to the offending field and a short message. */
export function describeError(error: ErrorObject): { param: string; message: string } {
  const segments = error.instancePath.split("/").slice(1).map(unescapePointer);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "required") segments.push(String(params.missingProperty));
  if (error.keyword === "additionalProperties") segments.push(String(params.additionalProperty));
  const param = toJsonPath(segments);
  switch (error.keyword) {
    case "required":
      return { param, message: `${param} is required.` };
    case "additionalProperties":
      return { param, message: `${param} is not a recognised field.` };
    case "enum":
      return { param, message: `${param} must be one of: ${(params.allowedValues as unknown[]).join(", ")}.` };
    default:
      return { param, message: `${param} ${error.message ?? "is invalid"}.` };
  }
}

export function toJsonPath(segments: (string | number)[]): string {
  return segments.reduce<string>((path, s) => {
    if (typeof s === "number" || /^\d+$/.test(String(s))) return `${path}[${s}]`;
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `${path}.${s}` : `${path}['${String(s).replaceAll("\\", "\\\\").replaceAll("'", "\\'")}']`;
  }, "$");
}

function unescapePointer(segment: string): string {
  return segment.replaceAll("~1", "/").replaceAll("~0", "~");
}

/** 2025-09-29 writes `"minimum": 0, "exclusiveMinimum": true` (draft-04 style) under a 2020-12 `$schema`;
 *  read it as meant (> 0) on a copy; the file itself stays byte-exact. */
function draft4ExclusiveMinimum(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(draft4ExclusiveMinimum);
  if (!schema || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = draft4ExclusiveMinimum(v);
  if (out.exclusiveMinimum === true && typeof out.minimum === "number") {
    out.exclusiveMinimum = out.minimum;
    delete out.minimum;
  }
  return out;
}
