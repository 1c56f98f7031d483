import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { maxSkewSeconds, verifyDelivery } from "./webhook";

const secret = "s3cret";
const now = 1_800_000_000;
const body = JSON.stringify({ id: "d1", event: "page.published", cache_tags: ["p19", "l-news-sv"] });

function sign(timestamp: string, text: string, key = secret): string {
  return "sha256=" + createHmac("sha256", key).update(`${timestamp}.${text}`).digest("hex");
}

describe("verifyDelivery", () => {
  it("accepts a delivery signed as the CMS signs it (webhooks.dispatch.sign)", () => {
    const verdict = verifyDelivery(secret, body, String(now), sign(String(now), body), now);
    expect(verdict).toEqual({ ok: true, payload: JSON.parse(body) });
  });

  it("refuses another secret, a changed body and a missing signature", () => {
    const ts = String(now);
    expect(verifyDelivery(secret, body, ts, sign(ts, body, "other"), now).ok).toBe(false);
    expect(verifyDelivery(secret, body + " ", ts, sign(ts, body), now).ok).toBe(false);
    expect(verifyDelivery(secret, body, ts, null, now).ok).toBe(false);
  });

  it("refuses replays: a timestamp outside the window, even correctly signed", () => {
    const old = String(now - maxSkewSeconds - 1);
    expect(verifyDelivery(secret, body, old, sign(old, body), now)).toMatchObject({ ok: false });
    const edge = String(now - maxSkewSeconds);
    expect(verifyDelivery(secret, body, edge, sign(edge, body), now).ok).toBe(true);
    expect(verifyDelivery(secret, body, "soon", sign("soon", body), now).ok).toBe(false);
  });

  it("refuses everything when no secret is configured", () => {
    const ts = String(now);
    expect(verifyDelivery("", body, ts, sign(ts, body, ""), now)).toMatchObject({ ok: false });
  });

  it("refuses a signed body without a list of cache tags", () => {
    const ts = String(now);
    const text = JSON.stringify({ event: "page.published", cache_tags: "p1" });
    expect(verifyDelivery(secret, text, ts, sign(ts, text), now)).toMatchObject({ ok: false });
  });
});
