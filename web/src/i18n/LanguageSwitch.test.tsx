import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import i18next from "i18next";
import { Provider, type Client } from "urql";
import { fromValue } from "wonka";
import { afterEach, describe, expect, it, vi } from "vitest";
import "./index";
import { useAccountLanguage } from "./accountLanguage";
import { LanguageSwitch } from "./LanguageSwitch";

const auth = vi.hoisted(() => ({ token: null as string | null }));
vi.mock("../identity/AuthProvider", () => ({ useAuth: () => ({ token: auth.token }) }));

const answer = (data: unknown) => ({ data, operation: {} as never, stale: false, hasNext: false });

function renderSwitch(setMyLanguage: unknown) {
  const executeMutation = vi.fn(() => fromValue(answer({ setMyLanguage })));
  render(
    <Provider value={{ executeMutation } as unknown as Client}>
      <LanguageSwitch />
    </Provider>,
  );
  return executeMutation;
}

const variablesOf = (mock: ReturnType<typeof vi.fn>) =>
  (mock.mock.calls as unknown as [{ variables: unknown }][]).map(([operation]) => operation.variables);

afterEach(async () => {
  cleanup();
  auth.token = null;
  window.localStorage.clear();
  await i18next.changeLanguage("ru");
});

describe("LanguageSwitch", () => {
  it("signed in, switches the page at once and saves the choice to the account", async () => {
    auth.token = "token";
    const executeMutation = renderSwitch({ __typename: "SetMyLanguageSuccess", user: { id: "VXNlcjox", language: "EN" } });

    fireEvent.change(screen.getByLabelText("Язык"), { target: { value: "en" } });

    await waitFor(() => expect(executeMutation).toHaveBeenCalledTimes(1));
    expect(variablesOf(executeMutation)).toEqual([{ language: "EN" }]);
    expect(i18next.language).toBe("en");
    expect(document.documentElement.lang).toBe("en");
    expect(window.localStorage.getItem("exchange.lang")).toBe("en");
    expect((screen.getByLabelText("Language") as HTMLSelectElement).value).toBe("en");
  });

  it("signed out, keeps the choice in this browser and asks the API nothing", async () => {
    const executeMutation = renderSwitch(null);

    fireEvent.change(screen.getByLabelText("Язык"), { target: { value: "en" } });

    await waitFor(() => expect(i18next.language).toBe("en"));
    expect(window.localStorage.getItem("exchange.lang")).toBe("en");
    expect(executeMutation).not.toHaveBeenCalled();
  });

  it("keeps the chosen language on screen when the account refuses it", async () => {
    auth.token = "stale";
    renderSwitch({ __typename: "NotAuthenticatedError", code: "UNAUTHENTICATED", message: "sign in first", field: null });

    fireEvent.change(screen.getByLabelText("Язык"), { target: { value: "en" } });

    await waitFor(() => expect(i18next.language).toBe("en"));
    expect(window.localStorage.getItem("exchange.lang")).toBe("en");
  });
});

function AccountLanguage({ language }: { language: string | null }) {
  useAccountLanguage(language);
  return null;
}

describe("useAccountLanguage", () => {
  it("takes the account's language once it is known, and again when the account's changes", async () => {
    const { rerender } = render(<AccountLanguage language={null} />);
    expect(i18next.language).toBe("ru");

    rerender(<AccountLanguage language="EN" />);
    await waitFor(() => expect(i18next.language).toBe("en"));
    expect(window.localStorage.getItem("exchange.lang")).toBe("en");

    rerender(<AccountLanguage language="RU" />);
    await waitFor(() => expect(i18next.language).toBe("ru"));
  });

  it("leaves a language chosen on this page alone while the account's stays as it was", async () => {
    const { rerender } = render(<AccountLanguage language="RU" />);
    await i18next.changeLanguage("en");

    rerender(<AccountLanguage language="RU" />);

    expect(i18next.language).toBe("en");
  });
});
