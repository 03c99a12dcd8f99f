import { useTranslation } from "react-i18next";
import { localeOf } from "../i18n/format";
import { sizeParts } from "./size";

/** A file size in the page's language: "1,5 МБ" / "1.5 MB". */
export function useSize(): (bytes: number) => string {
  const { t, i18n } = useTranslation("files");
  return (bytes: number) => {
    const { unit, value } = sizeParts(bytes, localeOf(i18n.language));
    return t(`size.${unit}`, { value });
  };
}
