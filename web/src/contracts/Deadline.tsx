// What happens at the contract's deadline, as a date and "in 3 days": the API says when and what (the timer).
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { formatDateTime, formatRelative, localeOf } from "../i18n/format";
import { useLabels } from "../i18n/labels";

export const ContractDeadlineFragment = graphql(`
  fragment ContractDeadline on Contract {
    id
    deadline {
      at
      timer
      toStatus
    }
  }
`);

const DAY = 24 * 3600 * 1000;

/** A deadline counts in days up to two months ("через 10 дней", not "через 1 неделю"); within a day, in hours. */
export function untilDeadline(iso: string, language: string, now: Date): string {
  const days = Math.round((new Date(iso).getTime() - now.getTime()) / DAY);
  if (days < 1 || days > 60) return formatRelative(iso, language, now);
  return new Intl.RelativeTimeFormat(localeOf(language), { numeric: "always" }).format(days, "day");
}

/** "Автоприёмка через 3 дня — 08.12.2026, 12:00", or that it passed and the timer will take it. */
export function useDeadlineText(): (deadline: { at: string; timer: string }, now?: Date) => string {
  const { t, i18n } = useTranslation("contracts");
  const { label } = useLabels();
  return (deadline, now = new Date()) => {
    const what = label("ContractTimer", deadline.timer);
    const date = formatDateTime(deadline.at, i18n.language);
    if (new Date(deadline.at).getTime() <= now.getTime()) return t("deadline.passed", { what, date });
    return t("deadline.text", { what, relative: untilDeadline(deadline.at, i18n.language, now), date });
  };
}

export function Deadline({ data, now }: { data: FragmentOf<typeof ContractDeadlineFragment>; now?: Date }) {
  const contract = readFragment(ContractDeadlineFragment, data);
  const text = useDeadlineText();
  if (!contract.deadline) return null;
  const passed = new Date(contract.deadline.at).getTime() <= (now ?? new Date()).getTime();
  return (
    <p className={passed ? "deadline deadline-passed" : "deadline"}>
      <time dateTime={contract.deadline.at}>{text(contract.deadline, now)}</time>
    </p>
  );
}
