import { createHmac, timingSafeEqual } from "node:crypto";

/** Deliveries older (or newer) than this are refused: a captured request cannot be replayed. */
export const maxSkewSeconds = 300;

export type WebhookPayload = {
  id: string;
  event: string;
  cache_tags: string[];
  old_url?: string | null;
  new_url?: string | null;
};

export type Verdict = { ok: true; payload: WebhookPayload } | { ok: false; reason: string };

/**
 * Checks a CMS webhook delivery: `X-Webhook-Signature` is `sha256=` + the HMAC-SHA256 of
 * `"<X-Webhook-Timestamp>.<body>"` under the endpoint's secret (the CMS's `webhooks.dispatch.sign`),
 * compared in constant time, and the timestamp is within `maxSkewSeconds` of now.
 */
export function verifyDelivery(
  secret: string,
  body: string,
  timestamp: string | null,
  signature: string | null,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Verdict {
  if (!secret) return { ok: false, reason: "No webhook secret is configured." };
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: "Missing or malformed X-Webhook-Timestamp." };
  }
  if (Math.abs(nowSeconds - Number(timestamp)) > maxSkewSeconds) {
    return { ok: false, reason: "X-Webhook-Timestamp is too old or in the future." };
  }
  const expected = Buffer.from(
    "sha256=" + createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex"),
  );
  const given = Buffer.from(signature ?? "");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "Bad X-Webhook-Signature." };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return { ok: false, reason: "The body is not JSON." };
  }
  if (
    typeof payload !== "object" ||
    payload === null ||
    !Array.isArray((payload as WebhookPayload).cache_tags) ||
    !(payload as WebhookPayload).cache_tags.every((tag) => typeof tag === "string")
  ) {
    return { ok: false, reason: "The body has no cache_tags list." };
  }
  return { ok: true, payload: payload as WebhookPayload };
}
