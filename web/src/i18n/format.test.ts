import { describe, expect, it } from "vitest";
import { formatMoney, formatRelative } from "./format";
import i18next from "./index";

describe("formatMoney", () => {
  it("writes roubles the Russian way and keeps the decimal string exact", () => {
    const plain = (text: string) => text.replace(/\s/g, " ");
    expect(plain(formatMoney({ amount: "1250000.50", currency: "RUB" }, "ru"))).toBe("1 250 000,50 ₽");
    expect(plain(formatMoney({ amount: "1250000.00", currency: "RUB" }, "ru"))).toBe("1 250 000 ₽");
    expect(plain(formatMoney({ amount: "99999999999999.99", currency: "RUB" }, "en"))).toBe("RUB 99,999,999,999,999.99");
  });
});

describe("formatRelative", () => {
  const now = new Date("2026-12-02T12:00:00Z");
  it("says the largest whole unit, future and past", () => {
    expect(formatRelative("2026-12-05T12:00:00Z", "ru", now)).toBe("через 3 дня");
    expect(formatRelative("2026-12-05T12:00:00Z", "en", now)).toBe("in 3 days");
    expect(formatRelative("2026-12-02T10:00:00Z", "en", now)).toBe("2 hours ago");
  });
});

describe("plurals", () => {
  it("follow Russian rules through Intl.PluralRules", () => {
    const t = i18next.getFixedT("ru", "directory");
    expect(t("directory.found", { count: 1 })).toBe("Найден 1 производитель");
    expect(t("directory.found", { count: 3 })).toBe("Найдено 3 производителя");
    expect(t("directory.found", { count: 11 })).toBe("Найдено 11 производителей");
    expect(t("directory.found", { count: 21 })).toBe("Найден 21 производитель");
  });
});
