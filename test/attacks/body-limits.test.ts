// Item 1: body limits before the body is read. The helper (app/http/body-limit.server.ts) on web Requests, the
// routes answering 413 in their own formats, and the production server surviving 300 MB uploads.
import { describe, expect, it } from "vitest";
import { BodyTooLarge, readBodyBytes, withBodyLimit } from "../../app/http/body-limit.server";

/** A body stream of `total` bytes made on the fly; `pulled()` says how many bytes the reader actually took. */
function endless(total: number, chunk = 64 * 1024) {
  let sent = 0;
  const piece = new Uint8Array(chunk).fill(0x61);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const n = Math.min(chunk, total - sent);
      sent += n;
      controller.enqueue(n === chunk ? piece : piece.subarray(0, n));
    },
  });
  return { stream, pulled: () => sent };
}

function post(body: BodyInit | null, headers: Record<string, string> = {}) {
  return new Request("http://app.test/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

describe("withBodyLimit (helper)", () => {
  it("refuses a declared Content-Length over the cap without reading a byte", async () => {
    const source = endless(10_000_000);
    const request = post(source.stream, { "content-length": "10000000" });
    await expect(withBodyLimit(request, 1024)).rejects.toBeInstanceOf(BodyTooLarge);
    expect(source.pulled()).toBeLessThanOrEqual(64 * 1024); // at most what the stream pre-buffered
  });

  it("stops reading a chunked body as soon as it passes the cap, and cancels the stream", async () => {
    const source = endless(300 * 1024 * 1024);
    await expect(withBodyLimit(post(source.stream), 256 * 1024)).rejects.toThrow(BodyTooLarge);
    expect(source.pulled()).toBeLessThan(1024 * 1024);
  });

  it("returns a request whose body the libraries can still read (formData, text)", async () => {
    const form = new URLSearchParams({ shop: "a.myshopify.com", note: "ü" });
    const capped = await withBodyLimit(post(form.toString(), { "content-type": "application/x-www-form-urlencoded" }), 1024);
    expect((await capped.formData()).get("note")).toBe("ü");
    const again = await withBodyLimit(post("hello"), 5);
    expect(await again.text()).toBe("hello");
    expect(again.headers.get("content-length")).toBe("5");
  });

  it("counts bytes, not characters, and refuses one byte over", async () => {
    await expect(readBodyBytes(post("ééé"), 5)).rejects.toBeInstanceOf(BodyTooLarge); // 6 bytes
    expect((await readBodyBytes(post("ééé"), 6)).byteLength).toBe(6);
  });

  it("treats a garbage Content-Length as too large, not as zero", async () => {
    const request = post("x");
    const headers = new Headers(request.headers);
    headers.set("content-length", "12abc");
    const odd = { headers, body: request.body, method: "POST", url: request.url, signal: request.signal } as unknown as Request;
    await expect(readBodyBytes(odd, 1024)).rejects.toBeInstanceOf(BodyTooLarge);
  });
});
