// Who is on the other end of the socket, for limits on unauthenticated traffic (docs/decisions/0111). The socket
// address is the truth; `X-Forwarded-For` is read only when the socket is a proxy we were told to trust
// (`TRUSTED_PROXIES`, CIDR list), and then from the right: the first hop that is not one of our proxies is the
// client. Anything a client writes further left is its own claim and is ignored. IPv6 clients are keyed by /64
// (one host usually holds the whole /64).
import ipaddr from "ipaddr.js";

export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** `10.0.0.0/8, 192.168.1.7, fd00::/8` → CIDRs; a bare address is a /32 (/128). Throws on a bad entry. */
export function parseTrustedProxies(value: string | undefined): Cidr[] {
  const cidrs: Cidr[] = [];
  for (const entry of (value ?? "").split(",").map((e) => e.trim()).filter(Boolean)) {
    if (ipaddr.isValidCIDR(entry)) {
      const [range, bits] = ipaddr.parseCIDR(entry);
      cidrs.push(range.kind() === "ipv6" && (range as ipaddr.IPv6).isIPv4MappedAddress() ? [(range as ipaddr.IPv6).toIPv4Address(), Math.max(0, bits - 96)] : [range, bits]);
    } else if (ipaddr.isValid(entry)) {
      const address = ipaddr.process(entry);
      cidrs.push([address, address.kind() === "ipv4" ? 32 : 128]);
    } else {
      throw new Error(`TRUSTED_PROXIES: "${entry.slice(0, 60)}" is not an IP address or CIDR range`);
    }
  }
  return cidrs;
}

function parse(value: string | null | undefined): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const v = value?.trim();
  if (!v || !ipaddr.isValid(v)) return null;
  return ipaddr.process(v); // IPv4-mapped IPv6 (::ffff:1.2.3.4) → 1.2.3.4
}

function trusted(address: ipaddr.IPv4 | ipaddr.IPv6, proxies: Cidr[]): boolean {
  return proxies.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));
}

function label(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  if (address.kind() === "ipv4") return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(":")}::/64`;
}

/** The client's address as a limiter key; "unknown" when the server did not tell us the socket address. */
export function clientAddress(socketAddress: string | null | undefined, forwardedFor: string | null | undefined, proxies: Cidr[]): string {
  let current = parse(socketAddress);
  if (!current) return "unknown";
  if (!forwardedFor || !trusted(current, proxies)) return label(current);
  const hops = forwardedFor.split(",").reverse();
  for (const hop of hops) {
    const address = parse(hop);
    if (!address) break; // garbage from here leftwards: the last proxy we trust is the best we know
    current = address;
    if (!trusted(address, proxies)) break;
  }
  return label(current);
}
