/**
 * The environment, read in one place. Every variable is in `.env.example` and the README.
 * Defaults suit `make demo` (CMS on 127.0.0.1:8000, this site on localhost:3000).
 */
function trimSlash(value: string): string {
  return value.replace(/\/+$/, "");
}

/** Where the server fetches the API from. */
export const cmsUrl = trimSlash(process.env.CMS_URL || "http://127.0.0.1:8000");

/**
 * Where the reader's browser reaches the API (a cross-origin fetch, allowed by CORS). Read at
 * request time and handed to the browser as a prop, so one build serves any CMS.
 */
export const publicCmsUrl = trimSlash(process.env.PUBLIC_CMS_URL || cmsUrl);

/** This site's public address, for absolute links (sitemap, canonical, hreflang). */
export const siteUrl = trimSlash(process.env.SITE_URL || "http://localhost:3000");

/** The webhook endpoint's signing secret; without it the revalidation route refuses all. */
export const webhookSecret = process.env.CMS_WEBHOOK_SECRET || "";

/** A safety net: cached answers are refetched after this long even without a webhook. */
export const cacheSeconds = Number(process.env.CMS_CACHE_SECONDS || 3600);
