import { NextResponse, type NextRequest } from "next/server";
import { isLocale, preferredLocale } from "@/lib/i18n";

/**
 * Every reader-facing path starts with a language (`/sv/`, `/en/`), as in the CMS. A path
 * without one is sent to the reader's language (`Accept-Language`, Swedish by default). The
 * path is passed on in `x-pathname` so the 404 page can speak the right language.
 */
export function middleware(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const first = pathname.split("/")[1];
  if (!isLocale(first)) {
    const url = request.nextUrl.clone();
    url.pathname = `/${preferredLocale(request.headers.get("accept-language"))}${pathname}`;
    return NextResponse.redirect(url, 307);
  }
  const headers = new Headers(request.headers);
  headers.set("x-pathname", pathname);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|_next/|sitemap.xml|robots.txt|favicon.ico|icon.svg).*)"],
};
