import Link from "next/link";
import { headers } from "next/headers";
import { isLocale, t } from "@/lib/i18n";

/** The 404 page, in the language of the path that was asked for. */
export default async function NotFound() {
  const path = (await headers()).get("x-pathname") ?? "";
  const first = path.split("/")[1];
  const locale = isLocale(first) ? first : "sv";
  const words = t(locale);
  return (
    <article className="page">
      <h1>{words.notFoundTitle}</h1>
      <p>{words.notFoundText}</p>
      <p>
        <Link href={`/${locale}/`}>{words.toHome}</Link>
      </p>
    </article>
  );
}
