import type { Metadata } from "next";
import type { PageHeadFragment } from "@/gql/graphql";
import { siteUrl } from "./config";

/**
 * Head tags from the API's sharing fields: SEO title, description, the social image (the
 * hero image when none is chosen), the canonical address and `hreflang` alternates.
 * Fallback content is not indexed under the reader's language: its canonical is the original.
 */
export function pageMetadata(page: PageHeadFragment): Metadata {
  const image = page.socialImage?.rendition;
  const languages = Object.fromEntries(
    page.alternates.map((alternate) => [alternate.locale, `${siteUrl}${alternate.url}`]),
  );
  return {
    title: page.seoTitle || page.title,
    description: page.searchDescription || undefined,
    alternates: { canonical: `${siteUrl}${page.url}`, languages },
    openGraph: {
      title: page.seoTitle || page.title,
      description: page.searchDescription || undefined,
      url: `${siteUrl}${page.url}`,
      locale: page.locale,
      images: image
        ? [{ url: image.url, width: image.width, height: image.height, alt: page.socialImage?.alt }]
        : undefined,
    },
  };
}
