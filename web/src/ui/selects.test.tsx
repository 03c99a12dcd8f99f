import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { Provider, type Client } from "urql";
import { fromValue, never } from "wonka";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CurrencySelect, currencyName } from "./selects";

const answer = (data: unknown) => ({ data, operation: {} as never, stale: false, hasNext: false });

function renderSelect(client: Client, value = "RUB", onChange = vi.fn()) {
  render(
    <Provider value={client}>
      <label htmlFor="currency">Валюта</label>
      <CurrencySelect id="currency" value={value} onChange={onChange} />
    </Provider>,
  );
  return onChange;
}

afterEach(cleanup);

describe("currencyName", () => {
  it("names a currency in the page's language with its code, a code Intl does not know by its code alone", () => {
    expect(currencyName("RUB", "ru")).toBe("Российский рубль (RUB)");
    expect(currencyName("CNY", "ru")).toBe("Китайский юань (CNY)");
    expect(currencyName("RUB", "en")).toMatch(/^Russian Ro?uble \(RUB\)$/); // en-GB spells it Rouble
    expect(currencyName("QQQ", "ru")).toBe("QQQ");
  });
});

describe("CurrencySelect", () => {
  it("offers the API's currencies in its order, roubles first, and hands over the code picked", () => {
    const executeQuery = vi.fn(() => fromValue(answer({ currencies: ["RUB", "USD", "CNY"] })));
    const onChange = renderSelect({ executeQuery } as unknown as Client);
    const select = screen.getByLabelText("Валюта") as HTMLSelectElement;
    expect([...select.options].map((option) => option.value)).toEqual(["RUB", "USD", "CNY"]);
    expect(select.value).toBe("RUB");
    expect(select.selectedOptions[0]?.textContent).toBe("Российский рубль (RUB)");
    fireEvent.change(select, { target: { value: "CNY" } });
    expect(onChange).toHaveBeenCalledWith("CNY");
  });

  it("shows the value chosen while the list is loading", () => {
    const executeQuery = vi.fn(() => never);
    renderSelect({ executeQuery } as unknown as Client);
    const select = screen.getByLabelText("Валюта") as HTMLSelectElement;
    expect([...select.options].map((option) => option.value)).toEqual(["RUB"]);
  });
});
