import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cleanup, render, screen } from "@testing-library/react";
import i18next from "i18next";
import { afterEach, describe, expect, it } from "vitest";
import { ErrorSummary, ErrorText } from "../ui/forms";
import { messages } from "./messages";

// The codes as the API declares them (the checked-in SDL) and as the domain raises them (domain/errors.py).
// (node's paths: under jsdom, URL is the browser's.)
const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const schema = readFileSync(join(root, "schema.graphql"), "utf8");
const schemaCodes = schema
  .match(/enum ErrorCode \{([^}]*)\}/)![1]
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => /^[A-Z_]+$/.test(line));
const domain = readFileSync(join(root, "domain/errors.py"), "utf8");
// The ErrorCode class's members only (the module declares other enums after it, such as LimitUnit).
const errorCodeClass = domain.match(/^class ErrorCode\(StrEnum\):\n([\s\S]*?)\n\n/m)![1];
const domainCodes = [...errorCodeClass.matchAll(/^ {4}([A-Z_]+) = "[a-z_]+"$/gm)].map((match) => match[1]);

const CYRILLIC = /[а-яё]/i;

afterEach(async () => {
  cleanup();
  await i18next.changeLanguage("ru");
});

describe("error messages per code", () => {
  it("read the same codes from the schema and from the domain", () => {
    expect(schemaCodes.length).toBeGreaterThan(30);
    expect([...domainCodes].sort()).toEqual([...schemaCodes].sort());
  });

  it("have Russian and English text for every code the API can return, and none for codes it cannot", () => {
    for (const code of domainCodes) {
      const ru = (messages.ru.code as Record<string, string>)[code];
      const en = (messages.en.code as Record<string, string>)[code];
      expect(ru, `ru ${code}`).toMatch(CYRILLIC);
      expect(en, `en ${code}`).toMatch(/^[A-Z]/);
      expect(en, `en ${code}`).not.toMatch(CYRILLIC);
    }
    expect(Object.keys(messages.ru.code).sort()).toEqual([...schemaCodes].sort());
    expect(Object.keys(messages.en.code).sort()).toEqual([...schemaCodes].sort());
  });
});

describe("ErrorText", () => {
  const refusal = { __typename: "InvalidStateError", code: "BIDDING_CLOSED", message: "bidding has closed", field: null };

  it("shows our Russian words for a known code, not the API's English", () => {
    render(<ErrorText error={refusal} />);
    expect(document.body.textContent).toBe("Приём предложений по заказу закрыт.");
  });

  it("shows the English words for the same code in English", async () => {
    await i18next.changeLanguage("en");
    render(<ErrorText error={refusal} />);
    expect(document.body.textContent).toBe("Bidding on this order has closed.");
  });

  it("falls back to the API's message, marked as English, for a code this build does not know", () => {
    render(<ErrorText error={{ code: "SOMETHING_NEW", message: "a newer API refused this" }} />);
    const shown = screen.getByText("a newer API refused this");
    expect(shown.getAttribute("lang")).toBe("en");
  });

  it("says the exchange could not be reached for a transport failure, and keeps a client's own words", () => {
    render(
      <>
        <ErrorText error={{ message: "[Network] Failed to fetch" }} />
        <p>
          <ErrorText error={{ message: "Карта отклонена банком." }} />
        </p>
      </>,
    );
    expect(screen.getByText(messages.ru.transport)).toBeTruthy();
    expect(screen.queryByText(/Failed to fetch/)).toBeNull();
    expect(screen.getByText("Карта отклонена банком.")).toBeTruthy();
  });

  it("links the summary's Russian text to the field the API named", () => {
    render(<ErrorSummary form="f" error={{ code: "REQUIRED", message: "title is required", field: "input.title" }} />);
    const link = screen.getByRole("link", { name: "Заполните это поле." });
    expect(link.getAttribute("href")).toBe("#f-input.title");
  });
});
