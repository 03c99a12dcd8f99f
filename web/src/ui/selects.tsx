// Selects for enum values and regions: the values come from the schema-typed label tables.
import { useTranslation } from "react-i18next";
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
  return (
    <select {...props} value={value} onChange={(event) => onChange(event.target.value)}>
      {allowEmpty ? <option value="">{t("form.any")}</option> : <option value="" disabled />}
      {codes.map((code) => (
        <option key={code} value={code}>
          {region(code)}
        </option>
      ))}
    </select>
  );
}
