import { revalidateTag } from "next/cache";
import { NextResponse, type NextRequest } from "next/server";
import { webhookSecret } from "@/lib/config";
import { everythingTag, keysFor, needsFullPurge } from "@/lib/revalidation";
import { verifyDelivery } from "@/lib/webhook";

/**
 * The CMS's webhook receiver (an endpoint in the admin's Webhooks, with this site's
 * `CMS_WEBHOOK_SECRET`): verifies the signature and timestamp, then revalidates exactly the
 * cached answers that carried one of the delivery's cache tags.
 */
export async function POST(request: NextRequest) {
  const body = await request.text();
  const verdict = verifyDelivery(
    webhookSecret,
    body,
    request.headers.get("x-webhook-timestamp"),
    request.headers.get("x-webhook-signature"),
  );
  if (!verdict.ok) {
    return NextResponse.json({ error: verdict.reason }, { status: 401 });
  }
  if (needsFullPurge()) {
    revalidateTag(everythingTag);
    return NextResponse.json({ revalidated: everythingTag });
  }
  const keys = keysFor(verdict.payload.cache_tags);
  for (const key of keys) revalidateTag(key);
  return NextResponse.json({ revalidated: keys.length });
}
