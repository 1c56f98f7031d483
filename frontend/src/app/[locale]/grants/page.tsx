import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FilterSelect, recentYears } from "@/components/FilterSelect";
import { GrantTable } from "@/components/GrantTable";
import { LanguageSwitcher } from "@/components/LanguageSwitcher";
import { Pager } from "@/components/Pager";
import { GrantsDocument, type Programme } from "@/gql/graphql";
import { cmsQuery } from "@/lib/cms";
import { formatSek, isLocale, locales, t } from "@/lib/i18n";
import { one, pageParam, yearParam } from "@/lib/params";

const pageSize = 50;

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  return { title: isLocale(locale) ? t(locale).grants : undefined };
}

/**
 * The grants explorer: every granted project, filtered by recipient, partner country,
 * programme and year, with the total in kronor of the rows that have an amount (the API says
 * how many do, so a partial sum is never presented as the whole).
 */
export default async function GrantsRoute({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { locale } = await params;
  if (!isLocale(locale)) notFound();
  const words = t(locale);
  const query = await searchParams;
  // The filters' choices: recipients and partner countries of the latest grants.
  const options = await cmsQuery(GrantsDocument, { locale, limit: 100, offset: 0 });
  const programmes = new Map(options.programmes.map((choice) => [choice.value, choice.label]));
  const recipients = new Map<string, string>();
  const countries = new Map<string, string>();
  for (const grant of options.grants.items) {
    recipients.set(grant.recipient.slug, grant.recipient.name);
    for (const partner of grant.partners) if (partner.country) countries.set(partner.country, partner.countryName);
  }
  const collator = new Intl.Collator(locale);
  const byLabel = (a: [string, string], b: [string, string]) => collator.compare(a[1], b[1]);

  const recipient = one(query.mottagare) || undefined;
  const country = /^[A-Z]{2}$/.test(one(query.land)) ? one(query.land) : undefined;
  const programmeText = one(query.program);
  const programme = programmes.has(programmeText) ? (programmeText as Programme) : undefined;
  const year = yearParam(query.ar);
  const pageNumber = pageParam(query.sida);
  const filtered = recipient || country || programme || year || pageNumber > 1;
  const { grants } = filtered
    ? await cmsQuery(GrantsDocument, {
        locale,
        recipient,
        country,
        programme,
        year,
        limit: pageSize,
        offset: (pageNumber - 1) * pageSize,
      })
    : options;
  const rows = filtered ? grants.items : grants.items.slice(0, pageSize);
  const path = `/${locale}/grants/`;
  const state: Record<string, string> = {};
  if (recipient) state.mottagare = recipient;
  if (country) state.land = country;
  if (programme) state.program = programme;
  if (year) state.ar = String(year);
  return (
    <>
      <LanguageSwitcher locale={locale} alternates={locales.map((code) => ({ locale: code, url: `/${code}/grants/` }))} />
      <article className="page wide">
        <h1>{words.grants}</h1>
        <form className="filters" method="get" action={path}>
          <FilterSelect name="mottagare" label={words.recipient} allLabel={words.all} value={recipient} choices={[...recipients].sort(byLabel)} />
          <FilterSelect name="land" label={words.country} allLabel={words.all} value={country} choices={[...countries].sort(byLabel)} />
          <FilterSelect name="program" label={words.programme} allLabel={words.all} value={programme} choices={[...programmes]} />
          <FilterSelect name="ar" label={words.year} allLabel={words.all} value={year} choices={recentYears(10)} />
          <button type="submit">{words.filter}</button>
          {Object.keys(state).length > 0 && <Link href={path}>{words.clear}</Link>}
        </form>
        <p className="summary" aria-live="polite">
          {words.grantsTotal(grants.totalCount, grants.grantsWithAmount)}
          {grants.totalAmount != null && (
            <>
              {" · "}
              <strong>{formatSek(grants.totalAmount, locale)}</strong>
            </>
          )}
        </p>
        <GrantTable grants={rows} locale={locale} />
        <Pager
          locale={locale}
          path={path}
          params={state}
          page={pageNumber}
          pageCount={Math.max(1, Math.ceil(grants.totalCount / pageSize))}
        />
      </article>
    </>
  );
}
