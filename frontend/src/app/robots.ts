import type { MetadataRoute } from "next";
import { siteUrl } from "@/lib/config";

export default function robots(): MetadataRoute.Robots {
  return {
    rules: { userAgent: "*", allow: "/", disallow: ["/api/", "/sv/preview/", "/en/preview/"] },
    sitemap: `${siteUrl}/sitemap.xml`,
  };
}

export const dynamic = "force-dynamic";
