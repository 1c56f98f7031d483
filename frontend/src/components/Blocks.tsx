import type { BodyBlocksFragment } from "@/gql/graphql";
import type { Locale } from "@/lib/i18n";
import { t } from "@/lib/i18n";
import { Figure } from "./Figure";

/**
 * A StreamField body, one element per block type the CMS has. Rich text arrives sanitised by
 * the API, with internal links already pointing at this site's paths, so it is inserted as is.
 */
export function Blocks({ blocks, locale }: { blocks: readonly BodyBlocksFragment[]; locale: Locale }) {
  return (
    <div className="blocks">
      {blocks.map((block) => (
        <Block key={block.id} block={block} locale={locale} />
      ))}
    </div>
  );
}

function Block({ block, locale }: { block: BodyBlocksFragment; locale: Locale }) {
  switch (block.__typename) {
    case "HeadingBlock": {
      const Tag = block.level === "h3" ? "h3" : block.level === "h4" ? "h4" : "h2";
      return <Tag>{block.text}</Tag>;
    }
    case "ParagraphBlock":
      return <div className="rich-text" dangerouslySetInnerHTML={{ __html: block.html }} />;
    case "ImageBlock":
      return <Figure image={block.image} locale={locale} />;
    case "QuoteBlock":
      return (
        <blockquote>
          <p>{block.quote}</p>
          {block.attribution && <footer>— {block.attribution}</footer>}
        </blockquote>
      );
    case "EmbedBlock":
      return (
        <p className="embed">
          <a href={block.url} rel="noopener noreferrer">
            {block.url}
          </a>
        </p>
      );
    case "CallToActionBlock": {
      const href = block.page?.url ?? block.url;
      return href ? (
        <p>
          <a className="button" href={href}>
            {block.text || block.page?.title}
          </a>
        </p>
      ) : null;
    }
    case "FactBoxBlock":
      return (
        <aside className="fact-box">
          {block.title && <h2>{block.title}</h2>}
          <div className="rich-text" dangerouslySetInnerHTML={{ __html: block.html }} />
        </aside>
      );
    case "CommitmentBlock":
      return (
        <section className="commitment">
          <h2>{block.heading}</h2>
          <div className="rich-text" dangerouslySetInnerHTML={{ __html: block.html }} />
          {block.toReport.length > 0 && (
            <>
              <h3>{t(locale).toReport}</h3>
              <ul>
                {block.toReport.map((item) => (
                  <li key={item}>{item}</li>
                ))}
              </ul>
            </>
          )}
        </section>
      );
    default:
      return null;
  }
}
