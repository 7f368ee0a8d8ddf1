import { describe, expect, it } from "vitest";
import { clientAddress, parseTrustedProxies } from "./client-address";
import { parseBearer } from "./credentials";

describe("client address", () => {
  const proxies = parseTrustedProxies("10.0.0.0/8, 192.0.2.1, fd00::/8");

  it("uses the socket address unless the socket is a trusted proxy", () => {
    expect(clientAddress("203.0.113.5", "1.2.3.4", proxies)).toBe("203.0.113.5");
    expect(clientAddress("10.1.2.3", "1.2.3.4", proxies)).toBe("1.2.3.4");
    expect(clientAddress("::ffff:10.1.2.3", "spoof, 1.2.3.4, 10.0.0.9", proxies)).toBe("1.2.3.4");
    expect(clientAddress("10.1.2.3", "garbage", proxies)).toBe("10.1.2.3");
    expect(clientAddress(undefined, "1.2.3.4", proxies)).toBe("unknown");
  });

  it("keys IPv6 clients by /64", () => {
    expect(clientAddress("2001:db8:1:2:aaaa::1", null, proxies)).toBe("2001:db8:1:2::/64");
    expect(clientAddress("2001:db8:1:2:bbbb::9", null, proxies)).toBe("2001:db8:1:2::/64");
  });

  it("refuses a TRUSTED_PROXIES entry that is not an address or range", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8, proxy.internal")).toThrow(/TRUSTED_PROXIES/);
    expect(parseTrustedProxies(undefined)).toEqual([]);
  });
});

describe("bearer credentials", () => {
  it("reads the scheme in any case with any surrounding whitespace; nothing else", () => {
    for (const header of ["Bearer acp_sk_abcdefgh", "bearer acp_sk_abcdefgh", "  BEARER \t acp_sk_abcdefgh  "]) expect(parseBearer(header)).toBe("acp_sk_abcdefgh");
    for (const header of [null, "", "Basic abc", "Bearer", "Bearer short", "Bearer a b c d e f g h", "Bearerxacp_sk_abcdefgh"]) expect(parseBearer(header)).toBeNull();
  });
});
