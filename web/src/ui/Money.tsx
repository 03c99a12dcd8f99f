// An amount of money as the page shows it everywhere: Intl in the page's language, never broken across lines
// (a Russian amount's digit groups and its ₽ stay together in a narrow table cell).
import { useFormat, type MoneyValue } from "../i18n/format";

export function Money({ value, testId }: { value: MoneyValue; testId?: string }) {
  const format = useFormat();
  return (
    <span className="money" data-testid={testId}>
      {format.money(value)}
    </span>
  );
}
