// The weekly capacity calendar: a row per ISO week, a column per process; each cell shows the hours listed,
// held firm for contracts and softly for bids, and free, as the API counts them (Organisation.capacityCalendar).
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf, type ResultOf } from "../graphql";
import { enumValues, type EnumOf } from "../i18n/enums";
import { localeOf, useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";

export const CapacityWeekFragment = graphql(`
  fragment CapacityWeek on CapacityWeek {
    weekStart
    process
    listedHours
    firmHours
    softHours
    freeHours
    listings {
      id
      hourlyRate {
        amount
        currency
      }
    }
  }
`);

/** A calendar date ("2027-03-01") as local midnight, so that it names the same day in every time zone. */
export function localDate(iso: string): Date {
  const [year, month, day] = iso.split("-").map(Number);
  return new Date(year, month - 1, day);
}

/** "2027-03-01" for a local date. */
export function isoDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function addDays(iso: string, days: number): string {
  const date = localDate(iso);
  date.setDate(date.getDate() + days);
  return isoDate(date);
}

/** The Monday of the week of a local date. */
export function mondayOf(date: Date): string {
  const monday = new Date(date.getFullYear(), date.getMonth(), date.getDate());
  monday.setDate(monday.getDate() - ((monday.getDay() + 6) % 7));
  return isoDate(monday);
}

/** The ISO 8601 week number of a Monday. */
export function isoWeekNumber(monday: string): number {
  const date = localDate(monday);
  const thursday = new Date(date.getFullYear(), date.getMonth(), date.getDate() + 3);
  const firstThursday = new Date(thursday.getFullYear(), 0, 4);
  firstThursday.setDate(firstThursday.getDate() + 3 - ((firstThursday.getDay() + 6) % 7));
  return 1 + Math.round((thursday.getTime() - firstThursday.getTime()) / (7 * 24 * 3600 * 1000));
}

type Week = ResultOf<typeof CapacityWeekFragment>;

export function CapacityCalendar({ data }: { data: readonly FragmentOf<typeof CapacityWeekFragment>[] }) {
  const { t } = useTranslation("profile");
  const format = useFormat();
  const { label } = useLabels();
  const weeks = data.map((item) => readFragment(CapacityWeekFragment, item));
  const order = enumValues("Process");
  const processes = [...new Set(weeks.map((week) => week.process))].sort(
    (a, b) => order.indexOf(a as EnumOf<"Process">) - order.indexOf(b as EnumOf<"Process">),
  );
  const mondays = [...new Set(weeks.map((week) => week.weekStart))].sort();
  const cells = new Map(weeks.map((week) => [`${week.weekStart}|${week.process}`, week]));
  const thisWeek = mondayOf(new Date());
  const range = new Intl.DateTimeFormat(localeOf(format.language), { day: "numeric", month: "short" });

  return (
    <div className="table-scroll">
      <table className="capacity-calendar">
        <caption className="visually-hidden">{t("capacity.calendarCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("capacity.week")}</th>
            {processes.map((process) => (
              <th scope="col" key={process}>
                {label("Process", process)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {mondays.map((monday) => (
            <tr key={monday} className={monday === thisWeek ? "current-week" : undefined}>
              <th scope="row">
                <span className="week-number">{t("capacity.weekNumber", { week: isoWeekNumber(monday) })}</span>
                <span className="muted week-dates">
                  {range.formatRange(localDate(monday), localDate(addDays(monday, 6)))}
                </span>
              </th>
              {processes.map((process) => {
                const week = cells.get(`${monday}|${process}`);
                return <td key={process}>{week ? <Cell week={week} /> : null}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Cell({ week }: { week: Week }) {
  const { t } = useTranslation("profile");
  const format = useFormat();
  if (week.listedHours === 0 && week.firmHours === 0 && week.softHours === 0) {
    return <span className="muted">{t("capacity.noneListed")}</span>;
  }
  // The bar's scale: the listed hours, or all the holds if they are more (soft holds may exceed what is free).
  const scale = Math.max(week.listedHours, week.firmHours + week.softHours, 1);
  const share = (hours: number) => `${(100 * hours) / scale}%`;
  const rates = [...new Set(week.listings.map((listing) => format.money(listing.hourlyRate)))];
  return (
    <div className="capacity-cell">
      <div className="capacity-bar" aria-hidden="true">
        <span className="capacity-firm" style={{ width: share(week.firmHours) }} />
        <span className="capacity-soft" style={{ width: share(week.softHours) }} />
      </div>
      <strong>{t("capacity.free", { free: format.number(week.freeHours), listed: format.number(week.listedHours) })}</strong>
      {week.firmHours > 0 ? <span>{t("capacity.firm", { hours: format.number(week.firmHours) })}</span> : null}
      {week.softHours > 0 ? <span>{t("capacity.soft", { hours: format.number(week.softHours) })}</span> : null}
      {rates.map((rate) => (
        <span className="muted" key={rate}>
          {t("capacity.rate", { rate })}
        </span>
      ))}
    </div>
  );
}

export function CalendarLegend() {
  const { t } = useTranslation("profile");
  return (
    <ul className="legend" aria-hidden="true">
      <li>
        <span className="swatch capacity-firm" /> {t("capacity.legendFirm")}
      </li>
      <li>
        <span className="swatch capacity-soft" /> {t("capacity.legendSoft")}
      </li>
      <li>
        <span className="swatch capacity-free" /> {t("capacity.legendFree")}
      </li>
    </ul>
  );
}
