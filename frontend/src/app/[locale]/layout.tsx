import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { SiteDocument } from "@/gql/graphql";
import { cmsQuery } from "@/lib/cms";
import { isLocale, t } from "@/lib/i18n";
import "../globals.css";

/**
 * The root layout of each language: `<html lang>`, the site's name, menu and footer from the
 * CMS (`site`). There is one root layout per language, so every page's `lang` is right from
 * the first byte.
 */
export default async function LocaleLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ locale: string }>;
}) {
  const { locale } = await params;
  if (!isLocale(locale)) notFound();
  const { site } = await cmsQuery(SiteDocument, { locale });
  const words = t(locale);
  return (
    <html lang={locale}>
      <body>
        <a className="skip" href="#content">
          {words.skipToContent}
        </a>
        <header className="site-header">
          <Link href={`/${locale}/`} className="site-name">
            {site.name}
          </Link>
          <nav aria-label={words.menu}>
            <ul>
              {site.menu.map((item) => (
                <li key={item.url}>
                  <Link href={item.url}>{item.title}</Link>
                </li>
              ))}
              <li>
                <Link href={`/${locale}/grants/`}>{words.grants}</Link>
              </li>
              <li>
                <Link href={`/${locale}/search/`}>{words.search}</Link>
              </li>
            </ul>
          </nav>
        </header>
        <main id="content">{children}</main>
        <footer className="site-footer" aria-label={words.footer}>
          {site.footer.html && <div dangerouslySetInnerHTML={{ __html: site.footer.html }} />}
          <p>
            {site.footer.address}
            {site.footer.email && (
              <>
                {" · "}
                <a href={`mailto:${site.footer.email}`}>{site.footer.email}</a>
              </>
            )}
            {site.footer.phone && <> · {site.footer.phone}</>}
          </p>
          {site.footer.links.length > 0 && (
            <ul>
              {site.footer.links.map((link) => (
                <li key={link.url}>
                  <Link href={link.url}>{link.title}</Link>
                </li>
              ))}
            </ul>
          )}
        </footer>
      </body>
    </html>
  );
}
