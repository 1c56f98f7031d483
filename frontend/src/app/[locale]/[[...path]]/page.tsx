import type { Metadata } from "next";
import { notFound, permanentRedirect, redirect } from "next/navigation";
import { LanguageSwitcher } from "@/components/LanguageSwitcher";
import { LanguageNotices } from "@/components/Notices";
import { PageBody } from "@/components/PageBody";
import { PageDocument, RedirectDocument } from "@/gql/graphql";
import { cmsQuery } from "@/lib/cms";
import { isLocale, type Locale } from "@/lib/i18n";
import { pageMetadata } from "@/lib/metadata";

type Params = Promise<{ locale: string; path?: string[] }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;
function cmsPath(locale: string, path: string[] | undefined): string {
  return `/${[locale, ...(path ?? [])].join("/")}/`;
}

async function load(locale: Locale, path: string[] | undefined) {
  const { page } = await cmsQuery(PageDocument, { path: cmsPath(locale, path), locale });
  return page;
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { locale, path } = await params;
  if (!isLocale(locale)) return {};
  const page = await load(locale, path);
  return page ? pageMetadata(page) : {};
}

/**
 * Every CMS page, by its path: the API's `page(path:)` decides what is there (`null` is a
 * 404, after asking `redirect(path:)` whether the page moved); the page's type decides how
 * it looks.
 */
export default async function CmsPageRoute({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: SearchParams;
}) {
  const { locale, path } = await params;
  if (!isLocale(locale)) notFound();
  const page = await load(locale, path);
  if (!page) {
    const { redirect: moved } = await cmsQuery(RedirectDocument, { path: cmsPath(locale, path) });
    if (moved) (moved.isPermanent ? permanentRedirect : redirect)(moved.to);
    notFound();
  }
  return (
    <>
      <LanguageSwitcher locale={locale} alternates={page.alternates} />
      <article className="page" lang={page.locale}>
        <LanguageNotices locale={locale} page={page} />
        <PageBody page={page} locale={locale} searchParams={await searchParams} />
      </article>
    </>
  );
}
