import type { NextConfig } from "next";

/**
 * CMS paths end in a slash (`/sv/nyheter/`), so the site's do too: the API's `url` fields
 * are the frontend's routes as they stand. Images come from the CMS's renditions with their
 * own width, height and `srcset`, so Next's image optimiser is not needed.
 */
const nextConfig: NextConfig = {
  trailingSlash: true,
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
