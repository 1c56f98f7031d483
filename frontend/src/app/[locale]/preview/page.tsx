import type { Metadata } from "next";
import { draftMode } from "next/headers";
import { LanguageNotices } from "@/components/Notices";
import { PageBody } from "@/components/PageBody";
import { PreviewDocument } from "@/gql/graphql";
import { cmsQuery } from "@/lib/cms";
import { isLocale, t } from "@/lib/i18n";

export const metadata: Metadata = { robots: { index: false, follow: false } };

/**
 * A preview from the admin: the page the token's snapshot holds (saved or not), through the
 * same rendering as the live route, never cached, with a banner that says it is a draft.
 */
export default async function PreviewRoute({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { locale: raw } = await params;
  const locale = isLocale(raw) ? raw : "sv";
  const query = await searchParams;
  const token = typeof query.token === "string" ? query.token : "";
  const words = t(locale);
  const draft = (await draftMode()).isEnabled;
  const { page } = token
    ? await cmsQuery(PreviewDocument, { token }, { preview: true }).catch(() => ({ page: null }))
    : { page: null };
  if (!page) {
    return (
      <article className="page">
        <p className="notice" role="status">{words.previewExpired}</p>
      </article>
    );
  }
  return (
    <article className="page" lang={page.locale}>
      <p className="notice preview" role="status" data-draft-mode={draft ? "on" : "off"}>
        {words.previewNote}
      </p>
      <LanguageNotices locale={locale} page={page} />
      <PageBody page={page} locale={locale} searchParams={{}} />
    </article>
  );
}
