import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { Provider, type Client } from "urql";
import { fromValue } from "wonka";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SavedSearchesPage } from "./SavedSearchesPage";

const answer = (data: unknown) => ({ data, operation: {} as never, stale: false, hasNext: false });
const kept = {
  id: "U2F2ZWRTZWFyY2g6MQ==",
  name: "Фреза, Москва",
  query: "",
  createdAt: "2026-12-01T10:00:00Z",
  organisation: { id: "T3JnYW5pc2F0aW9uOjE=", name: "ООО «Фрезер»" },
  filter: { processes: ["CNC_MILLING"], regions: ["RU-MOW"], certifications: [], materials: [] },
};
const frezer = kept.organisation;
const second = { id: "T3JnYW5pc2F0aW9uOjI=", name: "АО «Уралцех»" };
const keptBySecond = { ...kept, id: "U2F2ZWRTZWFyY2g6Mg==", organisation: second };

function renderPage(organisations: unknown[], saved: unknown = null, searches: unknown[] = [kept]) {
  // One answer serves both queries on the page: the list and who may save.
  const executeQuery = vi.fn(() => fromValue(answer({ savedSearches: searches, savedSearchOrganisations: organisations })));
  const executeMutation = vi.fn(() => fromValue(answer({ saveSearch: saved })));
  render(
    <MemoryRouter>
      <Provider value={{ executeQuery, executeMutation } as unknown as Client}>
        <SavedSearchesPage />
      </Provider>
    </MemoryRouter>,
  );
  return executeMutation;
}

afterEach(cleanup);

describe("SavedSearchesPage", () => {
  it("offers no new search to those the API lets save none, but still lists and opens theirs", () => {
    renderPage([]);
    expect(screen.queryByRole("heading", { name: "Новый поиск" })).toBeNull();
    expect(screen.getByRole("link", { name: "Открыть на доске заказов: Фреза, Москва" }).getAttribute("href")).toBe(
      "/orders?process=CNC_MILLING&region=RU-MOW",
    );
  });

  it("names the saved search a new one duplicates and keeps what was typed", async () => {
    const mutate = renderPage([frezer], {
      __typename: "DuplicateSavedSearchError",
      message: "already saved",
      code: "ALREADY_EXISTS",
      field: "filter",
      existing: { id: kept.id, name: kept.name },
    });
    fireEvent.change(screen.getByLabelText("Название поиска"), { target: { value: "Ещё раз" } });
    fireEvent.click(screen.getByRole("button", { name: "Сохранить поиск" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("Такой поиск уже сохранён — «Фреза, Москва»."));
    expect(mutate).toHaveBeenCalledTimes(1);
    expect((screen.getByLabelText("Название поиска") as HTMLInputElement).value).toBe("Ещё раз");
  });

  it("does not name the company on each search of a person in one company", () => {
    renderPage([frezer]);
    const card = screen.getByRole("article");
    expect(card.querySelector(".saved-search-company")).toBeNull();
    expect(card.textContent).not.toContain("ООО «Фрезер»");
    expect(screen.getByRole("link", { name: "Открыть на доске заказов: Фреза, Москва" })).toBeTruthy();
  });

  it("names the company that keeps each search for a person in several, in the buttons' names too", () => {
    renderPage([frezer, second], null, [kept, keptBySecond]);
    const cards = screen.getAllByRole("article");
    expect(cards.map((card) => card.querySelector(".saved-search-company")?.textContent)).toEqual([
      "Компания: ООО «Фрезер»",
      "Компания: АО «Уралцех»",
    ]);
    // Two searches of one name: each link and button says whose it is.
    expect(screen.getByRole("link", { name: "Открыть на доске заказов: Фреза, Москва — АО «Уралцех»" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Удалить поиск «Фреза, Москва» компании ООО «Фрезер»" })).toBeTruthy();
  });

  it("names the company even when every search so far is one company's, once the person keeps them for several", () => {
    renderPage([frezer, second]);
    expect(screen.getByRole("article").querySelector(".saved-search-company")?.textContent).toBe("Компания: ООО «Фрезер»");
  });
});
