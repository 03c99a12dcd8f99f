import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { addDays, CapacityCalendar, isoWeekNumber, mondayOf } from "./CapacityCalendar";

const rate = (amount: string) => ({ amount, currency: "RUB" });

function week(weekStart: string, process: string, hours: Partial<Record<"listed" | "firm" | "soft" | "free", number>>, rates: string[] = []) {
  return {
    weekStart,
    process,
    listedHours: hours.listed ?? 0,
    firmHours: hours.firm ?? 0,
    softHours: hours.soft ?? 0,
    freeHours: hours.free ?? 0,
    listings: rates.map((amount, index) => ({ id: `${process}-${index}`, hourlyRate: rate(amount) })),
  };
}

describe("the calendar's dates", () => {
  it("find Mondays and ISO week numbers in local time", () => {
    expect(mondayOf(new Date(2027, 2, 4))).toBe("2027-03-01");
    expect(mondayOf(new Date(2027, 2, 7))).toBe("2027-03-01");
    expect(addDays("2027-03-01", 84)).toBe("2027-05-24");
    expect(isoWeekNumber("2027-03-01")).toBe(9);
    expect(isoWeekNumber("2026-12-28")).toBe(53);
    expect(isoWeekNumber("2027-01-04")).toBe(1);
  });
});

describe("CapacityCalendar", () => {
  it("shows a row per week and a column per process, each cell with free, firm and soft hours and the rate", () => {
    const data = [
      week("2027-03-01", "CNC_TURNING", {}),
      week("2027-03-08", "CNC_TURNING", { listed: 20, free: 20 }, ["1500.00"]),
      week("2027-03-01", "CNC_MILLING", { listed: 40, firm: 15, soft: 5, free: 25 }, ["1000.00"]),
      week("2027-03-08", "CNC_MILLING", { listed: 40, free: 40 }, ["1000.00", "1200.00"]),
    ];
    render(<CapacityCalendar data={data as never} />);
    const table = screen.getByRole("table");
    const headers = within(table).getAllByRole("columnheader").map((cell) => cell.textContent);
    expect(headers).toEqual(["Неделя", "Фрезерование с ЧПУ", "Токарная обработка с ЧПУ"]);
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).getByRole("rowheader").textContent)).toEqual([
      expect.stringContaining("9-я неделя"),
      expect.stringContaining("10-я неделя"),
    ]);
    const [milling, turning] = within(rows[0]).getAllByRole("cell");
    expect(milling.textContent).toContain("Свободно 25 из 40 ч");
    expect(milling.textContent).toContain("По договорам: 15 ч");
    expect(milling.textContent).toContain("Под предложения: 5 ч");
    expect(milling.textContent?.replace(/\s/g, " ")).toContain("1 000 ₽/ч");
    expect(turning.textContent).toBe("не заявлено");
    const [secondMilling] = within(rows[1]).getAllByRole("cell");
    expect(secondMilling.textContent).not.toContain("По договорам");
    expect(secondMilling.textContent?.replace(/\s/g, " ")).toContain("1 200 ₽/ч");
  });
});
