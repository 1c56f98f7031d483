import { formatSek, t, type Locale } from "@/lib/i18n";

export type GrantRow = {
  id: string;
  projectTitle: string;
  amount?: number | null;
  year: number;
  endYear?: number | null;
  programmeLabel: string;
  recipient: { name: string; kindLabel: string };
  partners: readonly { name: string; city: string; countryName: string }[];
  announcement?: { title: string; url: string } | null;
};

/** Grant rows as a table: who received what, with whom, when; amounts in kronor. */
export function GrantTable({ grants, locale }: { grants: readonly GrantRow[]; locale: Locale }) {
  const words = t(locale);
  const withProject = grants.some((grant) => grant.projectTitle);
  return (
    <div className="table-wrap">
      <table className="grants">
        <thead>
          <tr>
            <th scope="col">{words.recipient}</th>
            {withProject && <th scope="col">{words.project}</th>}
            <th scope="col">{words.partners}</th>
            <th scope="col">{words.period}</th>
            <th scope="col" className="number">{words.amount}</th>
          </tr>
        </thead>
        <tbody>
          {grants.map((grant) => (
            <tr key={grant.id}>
              <th scope="row">
                <span className="name">{grant.recipient.name}</span>{" "}
                <span className="meta kind">{grant.recipient.kindLabel}</span>
              </th>
              {withProject && (
                <td>
                  {grant.projectTitle}
                  {grant.announcement && (
                    <>
                      {" "}
                      <a href={grant.announcement.url}>{grant.announcement.title}</a>
                    </>
                  )}
                </td>
              )}
              <td>
                {grant.partners
                  .map((p) => [p.name, p.city, p.countryName].filter(Boolean).join(", "))
                  .join("; ")}
              </td>
              <td>{grant.endYear && grant.endYear !== grant.year ? `${grant.year}–${grant.endYear}` : grant.year}</td>
              <td className="number">{grant.amount != null ? formatSek(grant.amount, locale) : "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
