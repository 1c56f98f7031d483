import { preferredLocale } from "@/lib/i18n";

/**
 * `/`: to the reader's language (`Accept-Language`; Swedish by default). A relative
 * `Location`, so the address the reader used (host, port, proxy) stays as it was; Next's
 * middleware would rewrite it to the server's own host name.
 */
export function GET(request: Request) {
  const locale = preferredLocale(request.headers.get("accept-language"));
  return new Response(null, {
    status: 307,
    headers: { Location: `/${locale}/`, Vary: "Accept-Language", "Cache-Control": "private, no-store" },
  });
}

export const dynamic = "force-dynamic";
