/** One filter of a listing's GET form: "All" and the choices, the current one selected. */
export function FilterSelect({
  name,
  label,
  allLabel,
  value,
  choices,
}: {
  name: string;
  label: string;
  allLabel: string;
  value: string | number | undefined;
  choices: readonly (readonly [string | number, string])[];
}) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value === undefined ? "" : String(value)}>
        <option value="">{allLabel}</option>
        {choices.map(([choice, text]) => (
          <option key={choice} value={choice}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The last `count` years, newest first, as filter choices. */
export function recentYears(count: number): [number, string][] {
  const thisYear = new Date().getFullYear();
  return Array.from({ length: count }, (_, i) => [thisYear - i, String(thisYear - i)]);
}
