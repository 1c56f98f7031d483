import type { ImageFieldsFragment } from "@/gql/graphql";
import { t, type Locale } from "@/lib/i18n";

/**
 * An image from the CMS's renditions: `srcset` and the rendition's width and height (so the
 * page does not shift while it loads), the editor's alt text, and the photographer's credit
 * always visible, as the photo agreements require.
 */
export function Figure({
  image,
  locale,
  sizes = "(min-width: 48rem) 46rem, 100vw",
  priority = false,
}: {
  image: ImageFieldsFragment;
  locale: Locale;
  sizes?: string;
  priority?: boolean;
}) {
  const { rendition } = image;
  return (
    <figure className="figure">
      {/* eslint-disable-next-line @next/next/no-img-element -- the CMS serves the renditions */}
      <img
        src={rendition.url}
        srcSet={image.srcSet}
        sizes={sizes}
        width={rendition.width}
        height={rendition.height}
        alt={image.alt}
        loading={priority ? "eager" : "lazy"}
        decoding="async"
      />
      {(image.caption || image.credit) && (
        <figcaption>
          {image.caption}
          {image.credit && (
            <span className="credit">
              {" "}
              {t(locale).photo}: {image.credit}
            </span>
          )}
        </figcaption>
      )}
    </figure>
  );
}
