import { draftMode } from "next/headers";
import { NextResponse, type NextRequest } from "next/server";
import { PreviewDocument } from "@/gql/graphql";
import { cmsQuery } from "@/lib/cms";
import { isLocale } from "@/lib/i18n";

/**
 * The admin's preview address (the CMS's `PREVIEW_URL`, `$FRONTEND_URL/api/preview`): turns
 * on draft mode and opens the preview page for the token, in the page's language. The token
 * is signed and short-lived in the CMS; a bad one gets a plain 400 here.
 */
export async function GET(request: NextRequest) {
  const token = request.nextUrl.searchParams.get("token");
  if (!token) return new NextResponse("A preview token is needed.", { status: 400 });
  let locale = "sv";
  try {
    const { page } = await cmsQuery(PreviewDocument, { token }, { preview: true });
    if (!page) return new NextResponse("This preview has expired or does not exist.", { status: 400 });
    if (isLocale(page.locale)) locale = page.locale;
  } catch {
    return new NextResponse("This preview has expired or does not exist.", { status: 400 });
  }
  (await draftMode()).enable();
  // Relative: the address the admin's frame used stays as it was (host, port, proxy).
  const target = `/${locale}/preview/?${new URLSearchParams({ token }).toString()}`;
  return new NextResponse(null, {
    status: 307,
    headers: { Location: target, "Cache-Control": "private, no-store" },
  });
}
