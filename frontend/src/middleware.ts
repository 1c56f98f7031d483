import { NextResponse, type NextRequest } from "next/server";

/**
 * Passes the path on in `x-pathname`, so the 404 page can speak the language of the path
 * asked for (`not-found.tsx` gets no route parameters). Every reader-facing path starts with
 * a language (`/sv/`, `/en/`), as in the CMS; `/` sends the reader to theirs (`app/route.ts`),
 * and any other path without one is a 404.
 */
export function middleware(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-pathname", request.nextUrl.pathname);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/(sv|en)/:path*"],
};
