import Link from "next/link";
import { t, type Locale } from "@/lib/i18n";

/** Previous / next links that keep the other query parameters (filters) as they are. */
export function Pager({
  locale,
  path,
  params,
  page,
  pageCount,
}: {
  locale: Locale;
  path: string;
  params: Record<string, string>;
  page: number;
  pageCount: number;
}) {
  if (pageCount <= 1) return null;
  const words = t(locale);
  const href = (target: number) => {
    const query = new URLSearchParams({ ...params });
    if (target > 1) query.set("sida", String(target));
    else query.delete("sida");
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  };
  return (
    <nav className="pager" aria-label={words.page(page, pageCount)}>
      {page > 1 ? <Link href={href(page - 1)} rel="prev">{words.previous}</Link> : <span />}
      <span>{words.page(page, pageCount)}</span>
      {page < pageCount ? <Link href={href(page + 1)} rel="next">{words.next}</Link> : <span />}
    </nav>
  );
}
