import { describe, expect, it } from "vitest";
import { formatDate, formatSek, languageName, preferredLocale } from "./i18n";

describe("formatting per language", () => {
  it("writes kronor the Swedish and the English way", () => {
    expect(formatSek(18_000_000, "sv").replace(/\s/g, " ")).toBe("18 000 000 kr");
    expect(formatSek(18_000_000, "en").replace(/\s/g, " ")).toBe("SEK 18,000,000");
  });

  it("keeps a calendar date on its day in any time zone", () => {
    expect(formatDate("2023-12-12", "sv")).toBe("12 december 2023");
    expect(formatDate("2023-12-12", "en")).toBe("12 December 2023");
  });

  it("names languages in the reader's language", () => {
    expect(languageName("sv", "en")).toBe("Swedish");
    expect(languageName("en", "sv")).toBe("engelska");
  });
});

describe("preferredLocale", () => {
  it("takes the first of our languages by quality, else Swedish", () => {
    expect(preferredLocale("en-GB,en;q=0.9,sv;q=0.8")).toBe("en");
    expect(preferredLocale("de-DE,sv;q=0.5,en;q=0.7")).toBe("en");
    expect(preferredLocale("sv-SE")).toBe("sv");
    expect(preferredLocale("fr, de")).toBe("sv");
    expect(preferredLocale(null)).toBe("sv");
    expect(preferredLocale("en;q=0, sv;q=0.1")).toBe("sv");
  });
});
