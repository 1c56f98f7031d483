import type { MetadataRoute } from "next";
import { SitemapDocument } from "@/gql/graphql";
import { cmsQuery } from "@/lib/cms";
import { siteUrl } from "@/lib/config";
import { locales } from "@/lib/i18n";

/** `sitemap.xml` from the API's `sitemap`: every visible page per language, with hreflang. */
export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const entries: MetadataRoute.Sitemap = [];
  for (const locale of locales) {
    for (let offset = 0; ; offset += 100) {
      const { sitemap: page } = await cmsQuery(SitemapDocument, { locale, offset });
      for (const item of page.items) {
        entries.push({
          url: `${siteUrl}${item.url}`,
          lastModified: item.lastPublishedAt ?? undefined,
          alternates: {
            languages: Object.fromEntries(
              item.alternates.map((alternate) => [alternate.locale, `${siteUrl}${alternate.url}`]),
            ),
          },
        });
      }
      if (offset + 100 >= page.totalCount) break;
    }
  }
  return entries;
}

export const dynamic = "force-dynamic";
