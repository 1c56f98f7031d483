"use client";

import { useEffect, useId, useRef, useState } from "react";
import { SuggestDocument, type SuggestQuery } from "@/gql/graphql";
import type { Locale } from "@/lib/i18n";
import { isNotFound, persisted, persistedUrl } from "@/lib/persisted";

const suggest = persisted(SuggestDocument);

/**
 * The search field with suggest-as-you-type. Suggestions come straight from the CMS in the
 * reader's browser (a cross-origin GET of a persisted query, allowed by the CMS's CORS), so
 * typing does not go through this site's server. Without JavaScript it is a plain form.
 */
export function SearchBox({
  endpoint,
  locale,
  action,
  defaultValue,
  label,
  suggestionsLabel,
  submitLabel,
}: {
  /** The CMS's GraphQL endpoint as the browser reaches it. */
  endpoint: string;
  locale: Locale;
  action: string;
  defaultValue: string;
  label: string;
  suggestionsLabel: string;
  submitLabel: string;
}) {
  const [value, setValue] = useState(defaultValue);
  const [items, setItems] = useState<SuggestQuery["suggest"]>([]);
  const [active, setActive] = useState(-1);
  const listId = useId();
  const latest = useRef(0);

  useEffect(() => {
    const prefix = value.trim();
    if (prefix.length < 2) {
      setItems([]);
      return;
    }
    const request = ++latest.current;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      const variables = { prefix, locale };
      try {
        let response = await fetch(persistedUrl(endpoint, suggest, variables), { signal: controller.signal });
        let body = (await response.json()) as { data?: SuggestQuery; errors?: { extensions?: { code?: string } }[] };
        if (isNotFound(body)) {
          response = await fetch(persistedUrl(endpoint, suggest, variables, true), { signal: controller.signal });
          body = await response.json();
        }
        if (request === latest.current) {
          setItems(body.data?.suggest ?? []);
          setActive(-1);
        }
      } catch {
        if (request === latest.current) setItems([]);
      }
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [value, locale, endpoint]);

  return (
    <form className="search-box" role="search" method="get" action={action}>
      <label htmlFor={`${listId}-input`}>{label}</label>
      <div className="combo">
        <input
          id={`${listId}-input`}
          name="q"
          type="search"
          value={value}
          autoComplete="off"
          role="combobox"
          aria-expanded={items.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
          onChange={(event) => setValue(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "ArrowDown") {
              event.preventDefault();
              setActive((index) => Math.min(index + 1, items.length - 1));
            } else if (event.key === "ArrowUp") {
              event.preventDefault();
              setActive((index) => Math.max(index - 1, -1));
            } else if (event.key === "Enter" && active >= 0 && items[active]) {
              event.preventDefault();
              window.location.assign(items[active].url);
            } else if (event.key === "Escape") {
              setItems([]);
            }
          }}
        />
        {items.length > 0 && (
          <ul id={listId} role="listbox" aria-label={suggestionsLabel} className="suggestions">
            {items.map((item, index) => (
              <li
                key={item.url}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === active}
                lang={item.locale}
              >
                <a href={item.url}>{item.title}</a>
              </li>
            ))}
          </ul>
        )}
      </div>
      <button type="submit">{submitLabel}</button>
    </form>
  );
}
