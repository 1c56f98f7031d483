import { beforeEach, describe, expect, it } from "vitest";
import { keysFor, needsFullPurge, remember, reset } from "./revalidation";

describe("revalidation index", () => {
  beforeEach(reset);

  it("maps a change's CMS tags to exactly the cached answers that carried them", () => {
    remember("q-article", "p19,p7,i1,l-news-sv");
    remember("q-news-list", "l-news-sv,p20");
    remember("q-about", "p3");
    expect(keysFor(["p19"])).toEqual(["q-article"]);
    expect(keysFor(["l-news-sv"])).toEqual(["q-article", "q-news-list"]);
    expect(keysFor(["p404"])).toEqual([]);
  });

  it("ignores answers without a Cache-Tag header and blank tags", () => {
    remember("q-none", null);
    remember("q-blank", " , ,p1");
    expect(keysFor([""])).toEqual([]);
    expect(keysFor(["p1"])).toEqual(["q-blank"]);
  });

  it("purges everything on the first delivery of a process only", () => {
    expect(needsFullPurge()).toBe(true);
    expect(needsFullPurge()).toBe(false);
  });
});
