// Requests to addresses a merchant sets (the order-event webhook, the Feed API push endpoint): the only outbound
// calls whose destination someone outside the app chooses, so the only ones that could reach the app's own
// network (SSRF). One module decides what may be called (docs/decisions/0115):
//   - https only in production; no user name or password in the URL;
//   - the host's DNS answer is checked inside the socket's own `lookup`, so the address checked is the address
//     connected to (a DNS answer that changes between a check and the connect does not help); an IP literal,
//     which never goes through `lookup`, is checked before connecting;
//   - only globally routable unicast addresses pass (ipaddr.js `range() === "unicast"`; an IPv4-mapped IPv6
//     address is judged by the IPv4 address inside it);
//   - redirects are never followed (a 3xx is a failed delivery), the answer's body is read up to a small cap,
//     and failures are reported as a class with a fixed message: the endpoint's own text never reaches the
//     database or the admin.
// `OUTBOUND_ALLOW_PRIVATE=1` lets the demo and tests deliver to stand-ins on 127.0.0.1; it is ignored when
// NODE_ENV=production.
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/** Why an outbound call failed, as stored and shown (never the upstream's own words). */
export type OutboundFailure =
  | "invalid_url"
  | "refused_address"
  | "dns"
  | "timeout"
  | "tls"
  | "connection"
  | "redirect"
  | "http_4xx"
  | "http_5xx"
  | "http_other"
  | "bad_response";

export const OUTBOUND_FAILURE_MESSAGES: Record<OutboundFailure, string> = {
  invalid_url: "The endpoint URL is not allowed (https only, no user name or password).",
  refused_address: "The endpoint resolves to a private or reserved network address; only public addresses are called.",
  dns: "The endpoint's host name could not be resolved.",
  timeout: "The endpoint did not answer in time.",
  tls: "The endpoint's TLS certificate or handshake failed.",
  connection: "The connection to the endpoint failed.",
  redirect: "The endpoint answered with a redirect; redirects are not followed.",
  http_4xx: "The endpoint refused the request",
  http_5xx: "The endpoint had a server error",
  http_other: "The endpoint gave an unexpected answer",
  bad_response: "The endpoint's answer could not be read.",
};

/** The fixed text stored for a failure: the class, its message, and the HTTP status when there is one. */
export function describeFailure(failure: OutboundFailure, status?: number | null): string {
  const http = status ? ` (HTTP ${Math.trunc(status)})` : "";
  const message = OUTBOUND_FAILURE_MESSAGES[failure];
  return `${failure}: ${message.endsWith(".") ? message : `${message}${http}.`}`;
}

export class OutboundError extends Error {
  constructor(
    readonly failure: OutboundFailure,
    readonly status: number | null = null,
  ) {
    super(describeFailure(failure, status));
    this.name = "OutboundError";
  }
}

/** What an HTTP status means for a delivery: null when it succeeded. */
export function failureForStatus(status: number): OutboundFailure | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) return "redirect";
  if (status >= 400 && status < 500) return "http_4xx";
  if (status >= 500 && status < 600) return "http_5xx";
  return "http_other";
}

export interface OutboundPolicy {
  production: boolean;
  /** Loopback and private addresses allowed (demo and tests only; never in production). */
  allowPrivate: boolean;
}

export function outboundPolicy(env: NodeJS.ProcessEnv = process.env): OutboundPolicy {
  const production = env.NODE_ENV === "production";
  return { production, allowPrivate: !production && env.OUTBOUND_ALLOW_PRIVATE === "1" };
}

/** True for a globally routable unicast address; IPv4-mapped IPv6 addresses are judged by their IPv4 part. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  if (!ipaddr.isValid(bare)) return false;
  let ip = ipaddr.parse(bare);
  if (ip.kind() === "ipv6") {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) ip = v6.toIPv4Address();
    // ::/96 (IPv4-compatible, deprecated) is not a special range in ipaddr.js; nothing legitimate lives there.
    else if (v6.parts.slice(0, 6).every((p) => p === 0)) return false;
  }
  return ip.range() === "unicast";
}

function isIpLiteral(hostname: string): boolean {
  return ipaddr.isValid(hostname.replace(/^\[|\]$/g, ""));
}

/** Names that always mean this machine (RFC 6761), refused without asking DNS. */
function isLocalName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, "");
  return h === "localhost" || h.endsWith(".localhost");
}

export type UrlProblem = "invalid" | "scheme" | "credentials" | "address";

/**
 * The checks that need no network: scheme, credentials, IP literals and local names. Run where a merchant
 * saves the URL (to explain) and again before every call (the rules or the environment may have changed).
 */
export function checkOutboundUrl(raw: string, policy: OutboundPolicy = outboundPolicy()): { ok: true; url: URL } | { ok: false; problem: UrlProblem } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: "invalid" };
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && !policy.production)) return { ok: false, problem: "scheme" };
  if (url.username || url.password) return { ok: false, problem: "credentials" };
  if (!url.hostname) return { ok: false, problem: "invalid" };
  if (!policy.allowPrivate && (isLocalName(url.hostname) || (isIpLiteral(url.hostname) && !isPublicAddress(url.hostname)))) return { ok: false, problem: "address" };
  return { ok: true, url };
}

/** The merchant-facing explanation of a URL problem (settings and feed pages). */
export function urlProblemMessage(problem: UrlProblem): string {
  switch (problem) {
    case "scheme":
      return "Enter an https:// URL";
    case "credentials":
      return "Leave the user name and password out of the URL";
    case "address":
      return "This address is on a private or local network; enter the agent's public endpoint";
    default:
      return "Enter a full web address";
  }
}

/** A DNS resolver: every address of a host name. Tests inject one; the default is the system's (getaddrinfo). */
export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** A socket `lookup` that resolves, then refuses the connection if any answer is not a public address. */
export function guardedLookup(resolve: Resolver, allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (answers) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = family ? answers.filter((a) => a.family === family) : answers;
        if (usable.length === 0) return callback(Object.assign(new Error(`no address for the host`), { code: "ENOTFOUND" }), "", 4);
        if (!allowPrivate && usable.some((a) => !isPublicAddress(a.address))) return callback(new OutboundError("refused_address"), "", 4);
        if (options.all) (callback as unknown as (e: null, a: typeof usable) => void)(null, usable);
        else callback(null, usable[0].address, usable[0].family);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, "", 4),
    );
  };
}

const TLS_CODE = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL|EPROTO$|HOSTNAME_MISMATCH|ERR_TLS_CERT)/;

/** Maps a transport error to its class. */
export function classifyError(error: unknown): OutboundFailure {
  if (error instanceof OutboundError) return error.failure;
  const e = error as { name?: string; code?: string; cause?: unknown };
  if (e?.name === "TimeoutError" || e?.name === "AbortError" || e?.code === "ETIMEDOUT") return "timeout";
  const code = e?.code ?? "";
  if (["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "ENODATA"].includes(code)) return "dns";
  if (TLS_CODE.test(code)) return "tls";
  if (e?.cause && e.cause !== error) return classifyError(e.cause);
  return "connection";
}

export interface OutboundDeps {
  /** DNS resolver (tests inject one to simulate answers, including DNS rebinding). */
  resolve?: Resolver;
  /** Environment the policy is read from (default process.env, read on every call). */
  env?: NodeJS.ProcessEnv;
}

export interface OutboundRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Response bytes kept; the rest is not read (default 4 KB). */
  maxResponseBytes?: number;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  /** At most `maxResponseBytes` of the body, for the caller to parse; never to be stored or shown. */
  body: string;
  truncated: boolean;
}

/**
 * One HTTP(S) request under the rules above. Resolves with any status (a 3xx is returned, not followed);
 * rejects with an OutboundError whose `failure` says what went wrong.
 */
export function outboundRequest(rawUrl: string, init: OutboundRequestInit, deps: OutboundDeps = {}): Promise<OutboundResponse> {
  const policy = outboundPolicy(deps.env);
  const checked = checkOutboundUrl(rawUrl, policy);
  if (!checked.ok) return Promise.reject(new OutboundError(checked.problem === "address" ? "refused_address" : "invalid_url"));
  const url = checked.url;
  const transport = url.protocol === "https:" ? https : http;
  const max = init.maxResponseBytes ?? 4096;
  return new Promise<OutboundResponse>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      init.signal?.removeEventListener("abort", onAbort);
      request.destroy();
      reject(error instanceof OutboundError ? error : new OutboundError(classifyError(error)));
    };
    const onAbort = () => fail(init.signal?.reason ?? Object.assign(new Error("aborted"), { name: "AbortError" }));
    const request = transport.request(
      url,
      {
        method: init.method,
        headers: { ...init.headers, ...(init.body !== undefined ? { "Content-Length": String(Buffer.byteLength(init.body)) } : {}) },
        lookup: guardedLookup(deps.resolve ?? systemResolver, policy.allowPrivate),
        // A fresh connection per call: a pooled socket would skip the lookup check made for this call's rules.
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const finish = () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          init.signal?.removeEventListener("abort", onAbort);
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString("utf8"), truncated });
          res.destroy();
        };
        res.on("data", (chunk: Buffer) => {
          if (size < max) chunks.push(chunk.subarray(0, max - size));
          size += chunk.length;
          if (size > max) {
            truncated = true;
            finish();
          }
        });
        res.on("end", finish);
        res.on("error", (error) => fail(error));
        // A 3xx needs no body: the delivery failed; stop reading.
        if ((res.statusCode ?? 0) >= 300 && (res.statusCode ?? 0) < 400) finish();
      },
    );
    const timer = setTimeout(() => fail(new OutboundError("timeout")), init.timeoutMs);
    timer.unref?.();
    if (init.signal?.aborted) return onAbort();
    init.signal?.addEventListener("abort", onAbort, { once: true });
    request.on("error", fail);
    request.end(init.body);
  });
}

/**
 * The same rules behind a `fetch`-shaped function, for clients written against fetch (the Feed API client).
 * Redirects are returned as they are (like `redirect: "manual"`); bodies are capped at `maxResponseBytes`.
 */
export function createOutboundFetch(deps: OutboundDeps & { maxResponseBytes?: number; timeoutMs?: number } = {}): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => (headers[key] = value));
    if (init.body !== undefined && init.body !== null && typeof init.body !== "string") throw new TypeError("outbound fetch sends string bodies only");
    const res = await outboundRequest(
      url,
      { method: init.method ?? "GET", headers, body: init.body ?? undefined, signal: init.signal ?? undefined, timeoutMs: deps.timeoutMs ?? 30_000, maxResponseBytes: deps.maxResponseBytes },
      deps,
    );
    if (res.status < 200 || res.status > 599) throw new OutboundError("http_other", res.status);
    const noBody = [204, 205, 304].includes(res.status);
    return new Response(noBody ? null : res.body, { status: res.status, headers: res.headers });
  }) as typeof fetch;
}
