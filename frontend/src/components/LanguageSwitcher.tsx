import Link from "next/link";
import { languageName, locales, type Locale } from "@/lib/i18n";

/**
 * Links to this page in the other languages (from the API's `alternates`, so a reader stays
 * on the same page), each named in its own language. A language without a version of the
 * page links to its home page.
 */
export function LanguageSwitcher({
  locale,
  alternates,
}: {
  locale: Locale;
  alternates: readonly { locale: string; url: string }[];
}) {
  return (
    <nav className="languages" aria-label={locale === "sv" ? "Språk" : "Language"}>
      <ul>
        {locales.map((code) => {
          const href = alternates.find((a) => a.locale === code)?.url ?? `/${code}/`;
          const name = languageName(code, code);
          return (
            <li key={code}>
              {code === locale ? (
                <span aria-current="true">{name}</span>
              ) : (
                <Link href={href} hrefLang={code} lang={code}>
                  {name}
                </Link>
              )}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
