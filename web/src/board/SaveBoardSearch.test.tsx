import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { Provider, type Client } from "urql";
import { fromValue } from "wonka";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SaveBoardSearch } from "./SaveBoardSearch";
import type { BoardFilters } from "./boardSavedSearch";
import type { DocumentNode } from "graphql";

const answer = (data: unknown) => ({ data, operation: {} as never, stale: false, hasNext: false });
const maker = { id: "T3JnYW5pc2F0aW9uOjE=", name: "ООО «Фрезер»" };

type Operation = { query: DocumentNode; variables: Record<string, unknown> };
const operationName = (operation: Operation) =>
  operation.query.definitions.map((d) => (d.kind === "OperationDefinition" ? d.name?.value : "")).join("");

/** The API's answers: the organisations that may save, the saved searches these filters already are, a save. */
function renderButton(board: BoardFilters, organisations: unknown[], saved: unknown = null, matching: unknown[] = []) {
  const executeQuery = vi.fn((operation: Operation) =>
    fromValue(
      answer(
        operationName(operation) === "SavedSearchesMatching"
          ? { savedSearchesMatching: matching }
          : { savedSearchOrganisations: organisations },
      ),
    ),
  );
  const executeMutation = vi.fn((_operation: unknown) => fromValue(answer({ saveSearch: saved })));
  render(
    <MemoryRouter>
      <Provider value={{ executeQuery, executeMutation } as unknown as Client}>
        <SaveBoardSearch board={board} />
      </Provider>
    </MemoryRouter>,
  );
  return Object.assign(executeMutation, { executeQuery });
}

const milling: BoardFilters = {
  query: "",
  processes: ["CNC_MILLING"],
  regions: ["RU-MOW"],
  certifications: [],
  materials: [],
  sort: "NEWEST",
};

afterEach(cleanup);

describe("SaveBoardSearch", () => {
  it("is not offered when the API lists no organisation that may save", () => {
    renderButton(milling, []);
    expect(screen.queryByRole("button", { name: "Сохранить поиск" })).toBeNull();
  });

  it("saves the board's filters under the suggested name and links to the saved searches", async () => {
    const mutate = renderButton(milling, [maker], {
      __typename: "SavedSearchSuccess",
      savedSearch: { id: "U2F2ZWRTZWFyY2g6MQ==", name: "Фрезерная обработка · Москва" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Сохранить поиск" }));
    const name = screen.getByLabelText("Название поиска") as HTMLInputElement;
    expect(name.value).toBe("Фрезерование с ЧПУ · Москва");
    fireEvent.click(screen.getByRole("button", { name: "Сохранить" }));

    await waitFor(() => expect(screen.getByRole("status").textContent).toContain("сохранён"));
    expect(mutate.mock.calls[0]![0]).toMatchObject({
      variables: {
        name: "Фрезерование с ЧПУ · Москва",
        query: "",
        filter: { processes: ["CNC_MILLING"], regions: ["RU-MOW"], certifications: [], materials: [] },
        organisationId: null,
      },
    });
    expect(screen.getByRole("link", { name: "Сохранённые поиски" }).getAttribute("href")).toBe("/saved-searches");
  });

  it("names the saved search it duplicates and keeps the form as it was", async () => {
    renderButton(milling, [maker], {
      __typename: "DuplicateSavedSearchError",
      message: "already saved",
      code: "ALREADY_EXISTS",
      field: "filter",
      existing: { id: "U2F2ZWRTZWFyY2g6MQ==", name: "Фреза, Москва" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Сохранить поиск" }));
    fireEvent.change(screen.getByLabelText("Название поиска"), { target: { value: "Другое имя" } });
    fireEvent.click(screen.getByRole("button", { name: "Сохранить" }));
    await waitFor(() => expect(screen.getByText(/Такой поиск уже сохранён — «Фреза, Москва»/)).toBeTruthy());
    expect((screen.getByLabelText("Название поиска") as HTMLInputElement).value).toBe("Другое имя");
  });

  it("words a refusal through the error components, at its field", async () => {
    renderButton(milling, [maker], {
      __typename: "ValidationError",
      message: "required",
      code: "REQUIRED",
      field: "name",
    });
    fireEvent.click(screen.getByRole("button", { name: "Сохранить поиск" }));
    fireEvent.change(screen.getByLabelText("Название поиска"), { target: { value: " " } });
    fireEvent.click(screen.getByRole("button", { name: "Сохранить" }));
    await waitFor(() => expect(screen.getByText("Исправьте ошибки")).toBeTruthy());
    expect(screen.getByLabelText("Название поиска").getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("says beside the button that the sort is not kept", () => {
    renderButton({ ...milling, sort: "DEADLINE" }, [maker]);
    const button = screen.getByRole("button", { name: "Сохранить поиск" });
    const note = document.getElementById(button.getAttribute("aria-describedby")!);
    expect(note?.textContent).toMatch(/Сортировка в поиске не сохраняется/);
  });

  it("asks which company when the person may save for several", async () => {
    const other = { id: "T3JnYW5pc2F0aW9uOjI=", name: "ООО «Токарь»" };
    const mutate = renderButton(milling, [maker, other], {
      __typename: "SavedSearchSuccess",
      savedSearch: { id: "U2F2ZWRTZWFyY2g6Mg==", name: "x" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Сохранить поиск" }));
    fireEvent.change(screen.getByLabelText("Для какой компании"), { target: { value: other.id } });
    fireEvent.click(screen.getByRole("button", { name: "Сохранить" }));
    await waitFor(() => expect(mutate).toHaveBeenCalled());
    expect(mutate.mock.calls[0]![0]).toMatchObject({ variables: { organisationId: other.id } });
  });

  it("says up front that the board's filters are a saved search, and asks the API with the filters as saved", () => {
    const mutate = renderButton(milling, [maker], null, [
      { id: "U2F2ZWRTZWFyY2g6MQ==", name: "Фреза, Москва", organisation: maker },
    ]);
    expect(screen.getByText("Поиск сохранён:").parentElement?.textContent).toBe("Поиск сохранён: «Фреза, Москва»");
    expect(screen.getByRole("link", { name: "Управлять сохранёнными поисками" }).getAttribute("href")).toBe(
      "/saved-searches",
    );
    expect(screen.queryByRole("button", { name: /Сохранить/ })).toBeNull();
    const asked = mutate.executeQuery.mock.calls.map(([operation]) => operation).find((operation) => {
      return operationName(operation) === "SavedSearchesMatching";
    });
    expect(asked?.variables).toEqual({
      query: "",
      filter: { processes: ["CNC_MILLING"], regions: ["RU-MOW"], certifications: [], materials: [] },
    });
  });

  it("offers no save and asks nothing more of a person who may not save", () => {
    const mutate = renderButton(milling, []);
    expect(screen.queryByText("Поиск сохранён:")).toBeNull();
    expect(mutate.executeQuery.mock.calls.map(([operation]) => operationName(operation))).toEqual([
      "SaveSearchOrganisations",
    ]);
  });

  it("names the company that saved it and offers the save to the one that has not, for that one", async () => {
    const other = { id: "T3JnYW5pc2F0aW9uOjI=", name: "ООО «Токарь»" };
    const mutate = renderButton(
      milling,
      [maker, other],
      { __typename: "SavedSearchSuccess", savedSearch: { id: "U2F2ZWRTZWFyY2g6Mw==", name: "Токарям" } },
      [{ id: "U2F2ZWRTZWFyY2g6MQ==", name: "Фреза, Москва", organisation: maker }],
    );
    expect(screen.getByText("Поиск сохранён:").parentElement?.textContent).toBe(
      "Поиск сохранён: «Фреза, Москва» — ООО «Фрезер»",
    );
    fireEvent.click(screen.getByRole("button", { name: "Сохранить и для другой компании" }));
    expect(screen.queryByLabelText("Для какой компании")).toBeNull();
    expect(screen.getByText("Для компании ООО «Токарь».")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Сохранить" }));
    await waitFor(() => expect(mutate).toHaveBeenCalled());
    expect(mutate.mock.calls[0]![0]).toMatchObject({ variables: { organisationId: other.id } });
  });
});
