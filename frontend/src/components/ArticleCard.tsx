import Link from "next/link";
import type { ArticleCardFragment } from "@/gql/graphql";
import { formatDate, languageName, t, type Locale } from "@/lib/i18n";

/** A news item in a list: image with its credit, kind, date, title and lead. */
export function ArticleCard({ article, locale }: { article: ArticleCardFragment; locale: Locale }) {
  const image = article.heroImage;
  return (
    <article className="card" lang={article.locale}>
      {image && (
        // eslint-disable-next-line @next/next/no-img-element -- the CMS serves the renditions
        <img
          src={image.rendition.url}
          srcSet={image.srcSet}
          sizes="(min-width: 48rem) 22rem, 100vw"
          width={image.rendition.width}
          height={image.rendition.height}
          alt={image.alt}
          loading="lazy"
          decoding="async"
        />
      )}
      {image?.credit && (
        <p className="credit">
          {t(locale).photo}: {image.credit}
        </p>
      )}
      <p className="meta">
        {article.kindLabel}
        {article.date && <> · <time dateTime={article.date}>{formatDate(article.date, locale)}</time></>}
      </p>
      <h3>
        <Link href={article.url}>{article.title}</Link>
      </h3>
      {article.isFallback && (
        <p className="note" lang={locale}>
          {t(locale).onlyIn(languageName(article.locale, locale))}
        </p>
      )}
      {article.intro && <p>{article.intro}</p>}
    </article>
  );
}
