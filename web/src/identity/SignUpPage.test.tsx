import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { Provider, type Client } from "urql";
import { fromValue } from "wonka";
import { afterEach, describe, expect, it, vi } from "vitest";
import i18next from "i18next";
import { SignUpPage } from "./SignUpPage";

const answer = (data: unknown) => ({ data, operation: {} as never, stale: false, hasNext: false });

function renderPage(signUp: unknown) {
  const executeMutation = vi.fn(() => fromValue(answer({ signUp })));
  render(
    <MemoryRouter initialEntries={["/sign-up"]}>
      <Provider value={{ executeMutation } as unknown as Client}>
        <SignUpPage />
      </Provider>
    </MemoryRouter>,
  );
  return executeMutation;
}

afterEach(async () => {
  cleanup();
  await i18next.changeLanguage("ru");
});

const refusal = {
  __typename: "ValidationError",
  code: "INVALID",
  field: "organisation.legalId",
  message: "the ИНН's check digits do not match: check the number",
  limits: null,
  dateLimits: null,
  allowedFormats: null,
};

async function fillAndSubmit() {
  fireEvent.change(screen.getByLabelText("Имя и фамилия"), { target: { value: "Ирина Петрова" } });
  fireEvent.change(screen.getByLabelText("Рабочая электронная почта"), { target: { value: "irina@example.com" } });
  fireEvent.change(screen.getByLabelText(/^Пароль/), { target: { value: "correct horse battery" } });
  fireEvent.change(screen.getByLabelText("Название компании"), { target: { value: "ООО «Фреза»" } });
  fireEvent.change(screen.getByLabelText(/^ИНН/), { target: { value: "7701234568" } });
  fireEvent.submit(screen.getByRole("button", { name: "Создать учётную запись" }).closest("form")!);
}

describe("SignUpPage", () => {
  it("words the API's refusal of the ИНН at its field in Russian, keeping what was typed", async () => {
    const executeMutation = renderPage(refusal);
    await fillAndSubmit();

    await waitFor(() => expect(screen.getByLabelText(/^ИНН/).getAttribute("aria-invalid")).toBe("true"));
    expect(document.body.textContent).toContain("Номер не прошёл проверку для страны компании: ИНН — 10 цифр (организация)");
    expect(document.body.textContent).not.toContain("check digits do not match");
    expect((screen.getByLabelText(/^ИНН/) as HTMLInputElement).value).toBe("7701234568");
    const [operation] = executeMutation.mock.calls[0] as unknown as [{ variables: { input: { organisation: unknown } } }];
    expect(operation.variables.input.organisation).toMatchObject({ name: "ООО «Фреза»", legalId: "7701234568" });
  });

  it("words it in English too", async () => {
    await i18next.changeLanguage("en");
    renderPage(refusal);
    fireEvent.change(screen.getByLabelText(/^INN/), { target: { value: "7701234568" } });
    fireEvent.submit(screen.getByRole("button", { name: /Create/ }).closest("form")!);
    await waitFor(() => expect(document.body.textContent).toContain("The number did not pass the check"));
  });

  it("asks for the number the chosen region's country issues: БИН in Kazakhstan, УНП in Belarus, else a registration number", async () => {
    const executeMutation = renderPage(refusal);
    const region = screen.getByLabelText("Регион") as HTMLSelectElement;
    expect(screen.getByLabelText(/^ИНН/)).toBeTruthy();

    fireEvent.change(region, { target: { value: "KZ-75" } });
    expect(screen.getByLabelText(/^БИН/)).toBeTruthy();
    expect(document.body.textContent).toContain("Бизнес-идентификационный номер Казахстана: 12 цифр.");
    expect(screen.queryByLabelText(/^ИНН/)).toBeNull();

    fireEvent.change(region, { target: { value: "BY-HM" } });
    expect(screen.getByLabelText(/^УНП/)).toBeTruthy();

    fireEvent.change(region, { target: { value: "UZ-TK" } });
    fireEvent.change(screen.getByLabelText(/^Регистрационный номер/), { target: { value: "UZ-301234567" } });
    fireEvent.submit(screen.getByRole("button", { name: "Создать учётную запись" }).closest("form")!);
    await waitFor(() => expect(executeMutation).toHaveBeenCalled());
    const [operation] = executeMutation.mock.calls[0] as unknown as [{ variables: { input: { organisation: unknown } } }];
    expect(operation.variables.input.organisation).toMatchObject({ legalId: "UZ-301234567", region: "UZ-TK" });
  });
});
