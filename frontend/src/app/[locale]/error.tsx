"use client";

import { useParams } from "next/navigation";
import { isLocale, t } from "@/lib/i18n";

/** When the CMS cannot be reached and nothing is cached: say so, and offer to try again. */
export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  const params = useParams<{ locale: string }>();
  const words = t(isLocale(params.locale) ? params.locale : "sv");
  return (
    <article className="page">
      <h1>{words.errorTitle}</h1>
      <p>{words.errorText}</p>
      <button type="button" onClick={reset}>
        {words.retry}
      </button>
    </article>
  );
}
