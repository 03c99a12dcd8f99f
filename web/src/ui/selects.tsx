// Selects for enum values, regions and currencies: enum values and regions come from the schema-typed label
// tables, currencies from the API (the codes its money inputs accept), named through Intl in the page's language.
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { graphql } from "../graphql";
import { localeOf } from "../i18n/format";
import { enumValues, type EnumName, type EnumOf } from "../i18n/enums";
import { REGION_CODES, useLabels } from "../i18n/labels";

type InputProps = Omit<React.SelectHTMLAttributes<HTMLSelectElement>, "value" | "onChange">;

export function EnumSelect<Name extends EnumName>({
  enumName,
  value,
  onChange,
  allowEmpty,
  placeholder,
  ...props
}: InputProps & {
  enumName: Name;
  value: EnumOf<Name> | "";
  onChange: (value: EnumOf<Name> | "") => void;
  allowEmpty?: boolean;
  /** A first, unselectable option shown until a value is chosen (e.g. "Выберите технологию"). */
  placeholder?: string;
}) {
  const { t } = useTranslation();
  const { label } = useLabels();
  return (
    <select {...props} value={value} onChange={(event) => onChange(event.target.value as EnumOf<Name> | "")}>
      {allowEmpty ? <option value="">{t("form.any")}</option> : null}
      {placeholder !== undefined && !allowEmpty ? (
        <option value="" disabled>
          {placeholder}
        </option>
      ) : null}
      {enumValues(enumName).map((option) => (
        <option key={option} value={option}>
          {label(enumName, option)}
        </option>
      ))}
    </select>
  );
}

export function RegionSelect({
  value,
  onChange,
  allowEmpty,
  ...props
}: InputProps & { value: string; onChange: (value: string) => void; allowEmpty?: boolean }) {
  const { t, i18n } = useTranslation();
  const { region } = useLabels();
  const codes = [...REGION_CODES].sort((a, b) => region(a).localeCompare(region(b), i18n.language));
  // Russia's subdivisions first, then each other country's under its name (Intl, in the page's language).
  const countries = [...new Set(codes.map((code) => code.slice(0, 2)))].sort((a, b) =>
    a === "RU" ? -1 : b === "RU" ? 1 : a.localeCompare(b),
  );
  const countryName = new Intl.DisplayNames([localeOf(i18n.language)], { type: "region" });
  return (
    <select {...props} value={value} onChange={(event) => onChange(event.target.value)}>
      {allowEmpty ? <option value="">{t("form.any")}</option> : <option value="" disabled />}
      {countries.map((country) => (
        <optgroup key={country} label={countryName.of(country) ?? country}>
          {codes
            .filter((code) => code.startsWith(`${country}-`))
            .map((code) => (
              <option key={code} value={code}>
                {region(code)}
              </option>
            ))}
        </optgroup>
      ))}
    </select>
  );
}

const CurrenciesQuery = graphql(`
  query Currencies {
    currencies
  }
`);

/** «Российский рубль (RUB)», "Russian Ruble (RUB)": the currency's name in the page's language, and its code. */
export function currencyName(code: string, language: string): string {
  const locale = localeOf(language);
  const name = new Intl.DisplayNames([locale], { type: "currency", fallback: "code" }).of(code) ?? code;
  return name === code ? code : `${name.charAt(0).toLocaleUpperCase(locale)}${name.slice(1)} (${code})`;
}

/** The currencies the API accepts, in its order (roubles first); the value chosen shows even before they load. */
export function CurrencySelect({
  value,
  onChange,
  ...props
}: InputProps & { value: string; onChange: (value: string) => void }) {
  const { i18n } = useTranslation();
  const [result] = useQuery({ query: CurrenciesQuery });
  const codes = result.data?.currencies ?? [];
  const options = codes.includes(value) || !value ? codes : [value, ...codes];
  return (
    <select {...props} value={value} onChange={(event) => onChange(event.target.value)}>
      {options.map((code) => (
        <option key={code} value={code}>
          {currencyName(code, i18n.language)}
        </option>
      ))}
    </select>
  );
}
