// An amount of money as the page shows it everywhere: Intl in the page's language, never broken across lines
// (a Russian amount's digit groups and its ₽ stay together in a narrow table cell). `kopecks`: always with its
// minor units («7 550,00 ₽»), for columns of amounts that are read and added up (a report), where «7 550 ₽» above
// «6 188,53 ₽» would misalign the digits.
import { useTranslation } from "react-i18next";
import { localeOf, useFormat, type MoneyValue } from "../i18n/format";

export function Money({ value, testId, kopecks }: { value: MoneyValue; testId?: string; kopecks?: boolean }) {
  const format = useFormat();
  const { i18n } = useTranslation();
  const text = kopecks
    ? new Intl.NumberFormat(localeOf(i18n.language), {
        style: "currency",
        currency: value.currency,
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      }).format(value.amount as unknown as number)
    : format.money(value);
  return (
    <span className="money" data-testid={testId}>
      {text}
    </span>
  );
}
