import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import documents from "@/gql/persisted-documents.json";
import { PageDocument, SuggestDocument } from "@/gql/graphql";
import { cacheKey } from "./cms";
import { persisted, persistedUrl } from "./persisted";

describe("persisted documents", () => {
  it("address every operation by the SHA-256 of its exact text (what the CMS checks)", () => {
    for (const [hash, text] of Object.entries(documents as Record<string, string>)) {
      expect(hash).toBe("sha256:" + createHash("sha256").update(text).digest("hex"));
    }
  });

  it("are sent as GET with the hash only, or with the text when asked", () => {
    const suggest = persisted(SuggestDocument);
    const short = new URL(persistedUrl("http://cms/graphql/", suggest, { prefix: "um" }));
    expect(short.searchParams.get("operationName")).toBe("Suggest");
    expect(JSON.parse(short.searchParams.get("extensions") ?? "{}")).toEqual({
      persistedQuery: { version: 1, sha256Hash: suggest.hex },
    });
    expect(short.searchParams.has("query")).toBe(false);
    const full = new URL(persistedUrl("http://cms/graphql/", suggest, { prefix: "um" }, true));
    expect(full.searchParams.get("query")).toBe(suggest.text);
  });

  it("give one cache key per operation and variables, whatever their order", () => {
    const { hash } = persisted(PageDocument);
    expect(cacheKey(hash, { path: "/sv/", locale: "sv" })).toBe(cacheKey(hash, { locale: "sv", path: "/sv/" }));
    expect(cacheKey(hash, { path: "/sv/" })).not.toBe(cacheKey(hash, { path: "/en/" }));
  });
});
