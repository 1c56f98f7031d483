/**
 * The site's two languages and the words of its own interface. Content comes translated
 * from the CMS; these are only the labels around it. Swedish is the default language, as in
 * the CMS.
 */
export const locales = ["sv", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "sv";

export function isLocale(value: string | undefined): value is Locale {
  return value !== undefined && (locales as readonly string[]).includes(value);
}

const words = {
  sv: {
    languageName: "Svenska",
    skipToContent: "Till innehållet",
    menu: "Huvudmeny",
    search: "Sök",
    searchPlaceholder: "Sök på webbplatsen",
    grants: "Beviljade projekt",
    latestNews: "Senaste nyheterna",
    allNews: "Alla nyheter",
    photo: "Foto",
    topics: "Ämnen",
    onlyIn: (language: string) => `Den här sidan finns bara på ${language}.`,
    outdated: (language: string) =>
      `Originalet har ändrats sedan den här översättningen gjordes. Läs gärna originalet på ${language}.`,
    readIn: (language: string) => `Läs på ${language}`,
    otherLanguages: "Andra språk",
    notFoundTitle: "Sidan finns inte",
    notFoundText: "Sidan du letar efter finns inte, eller har flyttats.",
    toHome: "Till startsidan",
    errorTitle: "Något gick fel",
    errorText: "Webbplatsen kunde inte hämta innehållet just nu. Försök igen om en stund.",
    retry: "Försök igen",
    filter: "Filtrera",
    clear: "Rensa",
    all: "Alla",
    kind: "Typ",
    year: "År",
    topic: "Ämne",
    programme: "Program",
    recipient: "Mottagare",
    country: "Partnerland",
    partners: "Partner",
    amount: "Belopp",
    period: "Period",
    project: "Projekt",
    announcedTotal: "Beviljat totalt",
    grantsTotal: (count: number, withAmount: number) =>
      `${count} projekt, varav ${withAmount} med belopp`,
    results: (count: number) => (count === 1 ? "1 träff" : `${count} träffar`),
    articles: (count: number) => (count === 1 ? "1 artikel" : `${count} artiklar`),
    noResults: "Inga träffar.",
    previous: "Föregående",
    next: "Nästa",
    page: (current: number, total: number) => `Sida ${current} av ${total}`,
    toReport: "Att redovisa",
    preview: "Förhandsvisning",
    previewNote: "Förhandsvisning av ett utkast. Det här ser bara du.",
    previewExpired: "Förhandsvisningen har gått ut. Uppdatera förhandsvisningen i adminen.",
    suggestions: "Förslag",
    type: "Sidtyp",
    footer: "Sidfot",
  },
  en: {
    languageName: "English",
    skipToContent: "Skip to content",
    menu: "Main menu",
    search: "Search",
    searchPlaceholder: "Search the site",
    grants: "Granted projects",
    latestNews: "Latest news",
    allNews: "All news",
    photo: "Photo",
    topics: "Topics",
    onlyIn: (language: string) => `This page is only available in ${language}.`,
    outdated: (language: string) =>
      `The original has changed since this translation was made. You may want to read the ${language} original.`,
    readIn: (language: string) => `Read in ${language}`,
    otherLanguages: "Other languages",
    notFoundTitle: "Page not found",
    notFoundText: "The page you are looking for does not exist, or has moved.",
    toHome: "Go to the home page",
    errorTitle: "Something went wrong",
    errorText: "The site could not fetch its content just now. Please try again shortly.",
    retry: "Try again",
    filter: "Filter",
    clear: "Clear",
    all: "All",
    kind: "Type",
    year: "Year",
    topic: "Topic",
    programme: "Programme",
    recipient: "Recipient",
    country: "Partner country",
    partners: "Partners",
    amount: "Amount",
    period: "Period",
    project: "Project",
    announcedTotal: "Granted in total",
    grantsTotal: (count: number, withAmount: number) =>
      `${count} projects, ${withAmount} with an amount`,
    results: (count: number) => (count === 1 ? "1 result" : `${count} results`),
    articles: (count: number) => (count === 1 ? "1 article" : `${count} articles`),
    noResults: "No results.",
    previous: "Previous",
    next: "Next",
    page: (current: number, total: number) => `Page ${current} of ${total}`,
    toReport: "To report",
    preview: "Preview",
    previewNote: "Preview of a draft. Only you can see this.",
    previewExpired: "This preview has expired. Refresh the preview in the admin.",
    suggestions: "Suggestions",
    type: "Page type",
    footer: "Footer",
  },
} as const;

export type Words = (typeof words)[Locale];

export function t(locale: Locale): Words {
  return words[locale];
}

/** A language's name in the reader's language ("engelska" on the Swedish side). */
export function languageName(code: string, inLocale: Locale): string {
  const name = new Intl.DisplayNames([inLocale], { type: "language" }).of(code) ?? code;
  return name;
}

const intlLocale: Record<Locale, string> = { sv: "sv-SE", en: "en-GB" };

/** Kronor as readers of each language write them: "1 500 000 kr" and "SEK 1,500,000". */
export function formatSek(amount: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale[locale], {
    style: "currency",
    currency: "SEK",
    maximumFractionDigits: 0,
  }).format(amount);
}

/** A calendar date (the API's `YYYY-MM-DD`) without shifting it through a time zone. */
export function formatDate(value: string, locale: Locale): string {
  const [year, month, day] = value.slice(0, 10).split("-").map(Number);
  const date = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1));
  return new Intl.DateTimeFormat(intlLocale[locale], {
    dateStyle: "long",
    timeZone: "UTC",
  }).format(date);
}

/** The language a browser asks for first among ours (`Accept-Language`), else the default. */
export function preferredLocale(acceptLanguage: string | null): Locale {
  if (!acceptLanguage) return defaultLocale;
  const ranked = acceptLanguage
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.find((p) => p.trim().startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((entry) => entry.tag && !Number.isNaN(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const primary = tag.split("-")[0];
    if (isLocale(primary)) return primary;
  }
  return defaultLocale;
}
