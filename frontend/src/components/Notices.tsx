import Link from "next/link";
import { defaultLocale, languageName, t, type Locale } from "@/lib/i18n";

type Translation = { locale: string; url: string };

/**
 * What a reader must know about the language of what they read: the page is shown in
 * another language because it has no translation in theirs (`isFallback`), or the
 * translation may lag behind its source (`isOutdated`).
 */
export function LanguageNotices({
  locale,
  page,
}: {
  locale: Locale;
  page: { locale: string; isFallback: boolean; isOutdated: boolean; translations: readonly Translation[] };
}) {
  const words = t(locale);
  if (page.isFallback) {
    return (
      <p className="notice" role="note" lang={locale}>
        {words.onlyIn(languageName(page.locale, locale))}
      </p>
    );
  }
  if (page.isOutdated) {
    const original =
      page.translations.find((other) => other.locale === defaultLocale) ?? page.translations[0];
    return (
      <p className="notice" role="note">
        {words.outdated(languageName(original?.locale ?? "sv", locale))}{" "}
        {original && (
          <Link href={original.url} hrefLang={original.locale}>
            {words.readIn(languageName(original.locale, locale))}
          </Link>
        )}
      </p>
    );
  }
  return null;
}
