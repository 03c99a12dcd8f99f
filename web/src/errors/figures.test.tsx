// A refusal's figures as a person reads them, in Russian and English: the allowed range with its unit, money and
// sizes through Intl (ru groups thousands with a space), dates in the page's language, the accepted formats.
import { cleanup, render } from "@testing-library/react";
import i18next from "i18next";
import { afterEach, describe, expect, it } from "vitest";
import { ErrorSummary, ErrorText } from "../ui/forms";
import { errorMessage, type UserErrorLike } from "./userError";

// Intl's Russian group separator is a no-break space (U+00A0); compare text with ordinary spaces.
const spaced = (text: string | null | undefined) => (text ?? "").replace(/[\u00a0\u202f]/g, " ");
const say = (error: UserErrorLike) => spaced(errorMessage(error, i18next.t, i18next.language));

const refusal = (fields: Partial<UserErrorLike>): UserErrorLike => ({
  __typename: "ValidationError",
  message: "English for developers",
  code: "OUT_OF_RANGE",
  field: null,
  ...fields,
});

const quantity = refusal({ field: "quantity", limits: { unit: "PIECES", min: "1", max: "1000000000", currency: null } });

afterEach(async () => {
  cleanup();
  await i18next.changeLanguage("ru");
});

describe("a refusal's figures", () => {
  it("says the quantity's range, grouped by the Russian locale", () => {
    expect(say(quantity)).toBe("Количество: от 1 до 1 000 000 000 шт.");
  });

  it("says it in English with English grouping", async () => {
    await i18next.changeLanguage("en");
    expect(say(quantity)).toBe("Quantity: from 1 to 1,000,000,000 pcs.");
  });

  it("words money with its currency, each end", () => {
    const budget = refusal({
      field: "budgetMax",
      limits: { unit: "MONEY", min: "250000.00", max: "10000000000000.00", currency: "RUB" },
    });
    expect(say(budget)).toBe("Бюджет до: от 250 000 ₽ до 10 000 000 000 000 ₽ — не меньше бюджета «от».");
    const price = refusal({ field: "unitPrice.amount", limits: { unit: "MONEY", min: "0.01", max: null, currency: "RUB" } });
    expect(say(price)).toBe("Цена за единицу: не меньше 0,01 ₽.");
  });

  it("names the hourly rate and a recorded transfer's amount, whose least is one kopeck", async () => {
    const kopeck = { unit: "MONEY", min: "0.01", max: null, currency: "RUB" } as const;
    expect(say(refusal({ field: "hourlyRate.amount", limits: kopeck }))).toBe("Ставка за час: не меньше 0,01 ₽.");
    const transfer = refusal({ field: "amount.amount", limits: { ...kopeck, max: "150000.00" } });
    expect(say(transfer)).toBe("Сумма: от 0,01 ₽ до 150 000 ₽.");
    await i18next.changeLanguage("en");
    expect(say(refusal({ field: "hourlyRate.amount", limits: kopeck }))).toBe("Hourly rate: at least RUB 0.01.");
  });

  it("puts a counted word in the genitive the number asks for", () => {
    const text = (max: string) =>
      say(refusal({ field: "title", limits: { unit: "CHARACTERS", min: null, max, currency: null } }));
    expect(text("200")).toBe("Название: не больше 200 символов.");
    expect(text("21")).toBe("Название: не больше 21 символа.");
    const days = say(refusal({ field: "leadTimeDays", limits: { unit: "DAYS", min: "1", max: "3650", currency: null } }));
    expect(days).toBe("Срок изготовления: от 1 до 3 650 дней.");
  });

  it("says a date's earliest day in the page's language", async () => {
    const needBy = refusal({ field: "needBy", dateLimits: { earliest: "2027-03-16", latest: null } });
    expect(say(needBy)).toBe("Срок поставки: не раньше 16 мар. 2027 г. — позже окончания приёма предложений.");
    await i18next.changeLanguage("en");
    expect(say(needBy)).toBe("Need by: 16 Mar 2027 or later, after the end of bidding.");
  });

  it("falls back to the code's text with its figures for a field without its own", () => {
    const other = refusal({ field: "legalAddress", limits: { unit: "CHARACTERS", min: null, max: "300", currency: null } });
    expect(say(other)).toBe("Значение выходит за допустимые пределы: допустимо не больше 300 символов.");
  });

  it("says the largest file in megabytes, and the formats accepted", async () => {
    const large = {
      __typename: "FileRejectedError",
      message: "the file is larger than 52428800 bytes",
      code: "FILE_TOO_LARGE",
      field: "file",
      limits: { unit: "BYTES", min: null, max: "52428800", currency: null },
    };
    expect(say(large)).toBe("Файл больше 50 МБ — это предел для одного файла.");
    const kind = {
      __typename: "FileRejectedError",
      message: "not a PDF",
      code: "UNSUPPORTED_FILE",
      field: "file",
      allowedFormats: ["pdf", "step", "iges", "stl", "dxf"],
    };
    expect(say(kind)).toBe("Этот тип файла не принимается. Допустимые форматы: PDF, STEP, IGES, STL, DXF.");
    await i18next.changeLanguage("en");
    expect(say(large)).toBe("The file is larger than 50 MB, the most one file may be.");
  });

  it("says how many files an order may have", () => {
    const full = {
      __typename: "FileRejectedError",
      message: "an order holds at most 20 files",
      code: "FILE_LIMIT_REACHED",
      field: "orderId",
      limits: { unit: "FILES", min: null, max: "20", currency: null },
    };
    expect(say(full)).toMatch(/^К заказу можно приложить не больше 20 файлов\./);
  });

  it("keeps the plain text when a refusal carries no figures", () => {
    expect(say(refusal({ code: "DEADLINE_IN_PAST", field: "biddingDeadline" }))).toBe(
      "Эта дата уже прошла. Укажите дату в будущем.",
    );
    expect(say(refusal({ field: "quantity", limits: null }))).toBe(
      "Значение выходит за допустимые пределы. Проверьте число или дату.",
    );
  });

  it("shows the figures in the form's summary, linked to the field", () => {
    render(<ErrorSummary form="order" error={quantity} />);
    const link = document.querySelector('a[href="#order-quantity"]');
    expect(spaced(link?.textContent)).toBe("Количество: от 1 до 1 000 000 000 шт.");
  });

  it("shows the figures at the field in English too", async () => {
    await i18next.changeLanguage("en");
    render(<ErrorText error={quantity} />);
    expect(spaced(document.body.textContent)).toBe("Quantity: from 1 to 1,000,000,000 pcs.");
  });
});
