// Labels for enum values and region codes in the page's language.
import { useTranslation } from "react-i18next";
import type { EnumName } from "./enums";
import { REGIONS } from "./regions";

export const REGION_CODES = Object.keys(REGIONS).sort();

export function useLabels() {
  const { t } = useTranslation();
  return {
    label: (name: EnumName, value: string) => t(`${name}.${value}`, { ns: "enums", defaultValue: value }),
    region: (code: string) => t(code, { ns: "regions", defaultValue: code }),
  };
}
