/**
 * Which cached API answers a CMS change makes stale.
 *
 * Every answer the site caches is a Next.js data-cache entry tagged `cms` and with its own
 * key (operation + variables). The API says what each answer was made of in its `Cache-Tag`
 * header (`p19`, `i1`, `l-news-sv`...); `remember` notes, per CMS tag, the keys whose answers
 * carried it. A webhook names the CMS tags a change touched; `keysFor` gives exactly the
 * entries to revalidate, so untouched pages stay cached.
 *
 * The index lives in this process. Entries cached before the process started are not in it,
 * so the first delivery after a start revalidates everything tagged `cms` once
 * (`needsFullPurge`); from then on every cached entry was recorded here. Several instances
 * each need their own webhook endpoint (or a shared cache handler).
 */
const keysByTag = new Map<string, Set<string>>();
let purgedSinceStart = false;

export const everythingTag = "cms";

export function remember(key: string, cacheTagHeader: string | null): void {
  if (!cacheTagHeader) return;
  for (const raw of cacheTagHeader.split(",")) {
    const tag = raw.trim();
    if (!tag) continue;
    let keys = keysByTag.get(tag);
    if (!keys) {
      keys = new Set();
      keysByTag.set(tag, keys);
    }
    keys.add(key);
  }
}

export function keysFor(tags: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const tag of tags) {
    for (const key of keysByTag.get(tag) ?? []) keys.add(key);
  }
  return [...keys].sort();
}

/** True once per process: the first delivery must also drop what earlier processes cached. */
export function needsFullPurge(): boolean {
  if (purgedSinceStart) return false;
  purgedSinceStart = true;
  return true;
}

/** For tests: forget everything, as a fresh process would. */
export function reset(): void {
  keysByTag.clear();
  purgedSinceStart = false;
}
