import Link from "next/link";
import { ArticleCard } from "@/components/ArticleCard";
import { Blocks } from "@/components/Blocks";
import { Figure } from "@/components/Figure";
import { FilterSelect, recentYears } from "@/components/FilterSelect";
import { GrantTable } from "@/components/GrantTable";
import { Pager } from "@/components/Pager";
import {
  NewsDocument,
  TopicsDocument,
  type ArticleKind,
  type PageContentFragment,
} from "@/gql/graphql";
import { cmsQuery } from "@/lib/cms";
import { formatDate, formatSek, t, type Locale } from "@/lib/i18n";
import { one, pageParam, yearParam } from "@/lib/params";

type CmsPage = PageContentFragment;

const newsPageSize = 12;

/**
 * The schema's article kinds, to check a `typ` parameter before asking the API (an unknown
 * enum value is a request error). A `Record` over the generated type: the type check fails
 * when the schema gains or loses a kind.
 */
const articleKinds: Record<ArticleKind, true> = {
  news: true,
  grant_announcement: true,
  research: true,
  event: true,
};

/**
 * A page as readers see it, by its type: the catch-all route and the preview route both
 * render through here, so a preview is exactly the published look.
 */
export async function PageBody({
  page,
  locale,
  searchParams,
}: {
  page: CmsPage;
  locale: Locale;
  searchParams: Record<string, string | string[] | undefined>;
}) {
  const words = t(locale);
  switch (page.__typename) {
    case "NewsArticlePage":
    case "GrantAnnouncementPage":
      return (
        <>
          <p className="meta">
            {page.kindLabel}
            {page.date && (
              <>
                {" · "}
                <time dateTime={page.date}>{formatDate(page.date, locale)}</time>
              </>
            )}
          </p>
          <h1>{page.title}</h1>
          {page.intro && <p className="lead">{page.intro}</p>}
          {page.heroImage && <Figure image={page.heroImage} locale={locale} priority />}
          <Blocks blocks={page.body} locale={locale} />
          {page.__typename === "GrantAnnouncementPage" && (
            <section className="grant-list">
              <h2>{words.grants}</h2>
              {page.announcedTotal != null && (
                <p>
                  {words.announcedTotal}: <strong>{formatSek(page.announcedTotal, locale)}</strong>
                </p>
              )}
              <GrantTable grants={page.grants} locale={locale} />
            </section>
          )}
          {page.topics.length > 0 && (
            <nav className="tags" aria-label={words.topics}>
              <ul>
                {page.topics.map((topic) => (
                  <li key={topic.url}>
                    <Link href={topic.url}>{topic.title}</Link>
                  </li>
                ))}
              </ul>
            </nav>
          )}
        </>
      );
    case "StandardPage":
      return (
        <>
          <h1>{page.title}</h1>
          {page.intro && <p className="lead">{page.intro}</p>}
          {page.heroImage && <Figure image={page.heroImage} locale={locale} priority />}
          <Blocks blocks={page.body} locale={locale} />
        </>
      );
    case "TopicPage":
      return (
        <>
          <h1>{page.title}</h1>
          {page.intro && <p className="lead">{page.intro}</p>}
          {page.heroImage && <Figure image={page.heroImage} locale={locale} priority />}
          <Blocks blocks={page.body} locale={locale} />
          <section>
            <h2>{words.latestNews}</h2>
            <p className="meta">{words.articles(page.articles.totalCount)}</p>
            <div className="cards">
              {page.articles.items.map((article) => (
                <ArticleCard key={article.id} article={article} locale={locale} />
              ))}
            </div>
          </section>
        </>
      );
    case "HomePage":
      return <Home page={page} locale={locale} />;
    case "NewsIndexPage":
      return <NewsIndex page={page} locale={locale} searchParams={searchParams} />;
    case "TopicIndexPage":
      return <TopicIndex page={page} locale={locale} />;
    default:
      return null;
  }
}

async function Home({ page, locale }: { page: Extract<CmsPage, { __typename: "HomePage" }>; locale: Locale }) {
  const words = t(locale);
  const { newsArticles } = await cmsQuery(NewsDocument, { locale, limit: 6, offset: 0 });
  return (
    <>
      <h1>{page.title}</h1>
      {page.intro && <p className="lead">{page.intro}</p>}
      <Blocks blocks={page.body} locale={locale} />
      <section>
        <h2>{words.latestNews}</h2>
        <div className="cards">
          {newsArticles.items.map((article) => (
            <ArticleCard key={article.id} article={article} locale={locale} />
          ))}
        </div>
      </section>
    </>
  );
}

async function NewsIndex({
  page,
  locale,
  searchParams,
}: {
  page: Extract<CmsPage, { __typename: "NewsIndexPage" }>;
  locale: Locale;
  searchParams: Record<string, string | string[] | undefined>;
}) {
  const words = t(locale);
  const topic = one(searchParams.amne) || undefined;
  const kindParam = one(searchParams.typ);
  const kind = Object.hasOwn(articleKinds, kindParam) ? (kindParam as ArticleKind) : undefined;
  const year = yearParam(searchParams.ar);
  const current = pageParam(searchParams.sida);
  // The list and the filters' choices at once: the list's answer carries the kinds' labels.
  const [{ topics }, { newsArticles, articleKinds: kindChoices }] = await Promise.all([
    cmsQuery(TopicsDocument, { locale }),
    cmsQuery(NewsDocument, {
      locale,
      topic,
      kind,
      year,
      limit: newsPageSize,
      offset: (current - 1) * newsPageSize,
    }),
  ]);
  const kinds = new Map(kindChoices.map((choice) => [choice.value, choice.label]));
  const pageCount = Math.max(1, Math.ceil(newsArticles.totalCount / newsPageSize));
  const filters: Record<string, string> = {};
  if (topic) filters.amne = topic;
  if (kind) filters.typ = kind;
  if (year) filters.ar = String(year);
  return (
    <>
      <h1>{page.title}</h1>
      {page.intro && <p className="lead">{page.intro}</p>}
      <form className="filters" method="get" action={page.url}>
        <FilterSelect
          name="amne"
          label={words.topic}
          allLabel={words.all}
          value={topic}
          choices={topics.map((item) => [item.slug, item.title] as const)}
        />
        <FilterSelect name="typ" label={words.kind} allLabel={words.all} value={kind} choices={[...kinds]} />
        <FilterSelect name="ar" label={words.year} allLabel={words.all} value={year} choices={recentYears(8)} />
        <button type="submit">{words.filter}</button>
        {(topic || kind || year) && <Link href={page.url}>{words.clear}</Link>}
      </form>
      <p className="meta" aria-live="polite">
        {words.articles(newsArticles.totalCount)}
      </p>
      <div className="cards">
        {newsArticles.items.map((article) => (
          <ArticleCard key={article.id} article={article} locale={locale} />
        ))}
      </div>
      <Pager locale={locale} path={page.url} params={filters} page={current} pageCount={pageCount} />
    </>
  );
}

async function TopicIndex({
  page,
  locale,
}: {
  page: Extract<CmsPage, { __typename: "TopicIndexPage" }>;
  locale: Locale;
}) {
  const { topics } = await cmsQuery(TopicsDocument, { locale });
  return (
    <>
      <h1>{page.title}</h1>
      {page.intro && <p className="lead">{page.intro}</p>}
      <ul className="topic-list">
        {topics.map((topic) => (
          <li key={topic.id} lang={topic.locale}>
            <Link href={topic.url}>{topic.title}</Link>
            {topic.intro && <p>{topic.intro}</p>}
          </li>
        ))}
      </ul>
    </>
  );
}
