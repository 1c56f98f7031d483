import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LanguageSwitcher } from "@/components/LanguageSwitcher";
import { SearchBox } from "@/components/SearchBox";
import { SearchDocument, type PageType } from "@/gql/graphql";
import { cmsQuery } from "@/lib/cms";
import { publicCmsUrl } from "@/lib/config";
import { isLocale, languageName, locales, t } from "@/lib/i18n";
import { one, yearParam } from "@/lib/params";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  return {
    title: isLocale(locale) ? t(locale).search : undefined,
    robots: { index: false, follow: true },
  };
}

const pageTypes = new Set<string>([
  "HomePage",
  "StandardPage",
  "NewsIndexPage",
  "NewsArticlePage",
  "GrantAnnouncementPage",
  "TopicIndexPage",
  "TopicPage",
]);

/**
 * Search with the API's facets (exact counts) as filter links and its highlighted excerpts;
 * the field suggests titles as one types.
 */
export default async function SearchRoute({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: SearchParams;
}) {
  const { locale } = await params;
  if (!isLocale(locale)) notFound();
  const words = t(locale);
  const query = await searchParams;
  const q = one(query.q).slice(0, 200);
  const type = one(query.typ);
  const topic = one(query.amne);
  const year = yearParam(query.ar);
  const path = `/${locale}/search/`;
  const state: Record<string, string> = { q };
  if (pageTypes.has(type)) state.typ = type;
  if (topic) state.amne = topic;
  if (year) state.ar = String(year);
  const link = (key: string, value: string | null) => {
    const next = new URLSearchParams(state);
    if (value === null || next.get(key) === value) next.delete(key);
    else next.set(key, value);
    return `${path}?${next.toString()}`;
  };
  const result = q
    ? (
        await cmsQuery(SearchDocument, {
          query: q,
          locale,
          types: pageTypes.has(type) ? [type as PageType] : undefined,
          topic: topic || undefined,
          year,
        })
      ).search
    : null;
  return (
    <>
      <LanguageSwitcher
        locale={locale}
        alternates={locales.map((code) => ({ locale: code, url: `/${code}/search/${q ? `?q=${encodeURIComponent(q)}` : ""}` }))}
      />
      <article className="page">
        <h1>{words.search}</h1>
        <SearchBox
          endpoint={`${publicCmsUrl}/graphql/`}
          locale={locale}
          action={path}
          defaultValue={q}
          label={words.searchPlaceholder}
          suggestionsLabel={words.suggestions}
          submitLabel={words.search}
        />
        {result && (
          <div className="search-layout">
            <aside className="facets" aria-label={words.filter}>
              {(
                [
                  ["typ", words.type, result.facets.types],
                  ["amne", words.topic, result.facets.topics],
                  ["ar", words.year, result.facets.years],
                ] as const
              ).map(([key, title, values]) =>
                values.length > 0 ? (
                  <section key={key}>
                    <h2>{title}</h2>
                    <ul>
                      {values.map((facet) => (
                        <li key={facet.value}>
                          <Link href={link(key, facet.value)} aria-current={state[key] === facet.value ? "true" : undefined}>
                            {facet.label} <span className="count">({facet.count})</span>
                          </Link>
                        </li>
                      ))}
                    </ul>
                  </section>
                ) : null,
              )}
            </aside>
            <section className="results" aria-live="polite">
              <p className="meta">{words.results(result.totalCount)}</p>
              {result.items.length === 0 && <p>{words.noResults}</p>}
              <ol>
                {result.items.map((hit) => (
                  <li key={hit.page.id} lang={hit.page.locale}>
                    <h2>
                      <Link href={hit.page.url}>{hit.page.title}</Link>
                    </h2>
                    {hit.page.isFallback && (
                      <p className="note" lang={locale}>
                        {words.onlyIn(languageName(hit.page.locale, locale))}
                      </p>
                    )}
                    {/* The API's excerpt is HTML-safe, with <mark>ed words. */}
                    <p dangerouslySetInnerHTML={{ __html: hit.highlight }} />
                  </li>
                ))}
              </ol>
            </section>
          </div>
        )}
      </article>
    </>
  );
}
