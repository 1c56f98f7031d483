/** A query-string parameter as one trimmed string ("" when absent). */
export function one(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

/** A four-digit year parameter, or undefined. */
export function yearParam(value: string | string[] | undefined): number | undefined {
  const text = one(value);
  return /^\d{4}$/.test(text) ? Number(text) : undefined;
}

/** A page number parameter (`sida`), at least 1. */
export function pageParam(value: string | string[] | undefined): number {
  return Math.max(1, Number.parseInt(one(value), 10) || 1);
}
