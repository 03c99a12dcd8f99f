import { fireEvent, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import { OrderForm } from "./OrderForm";
import { emptyValues, normaliseAmount, stepOfField, toUpdateInput, typingProblem, type OrderFormValues } from "./orderForm";
import { Stepper } from "./Stepper";

const filled: OrderFormValues = {
  ...emptyValues("org-1"),
  title: "Корпус",
  process: "CNC_MILLING",
  material: "Д16Т",
  quantity: "500",
  needBy: "2027-02-01",
  deliveryRegion: "RU-SVE",
  biddingDeadline: "2027-01-10T18:00",
  budgetMin: "100000",
  budgetMax: "200000.50",
};

describe("stepOfField", () => {
  it("finds the step that asks for the field the API names, in any of its spellings", () => {
    expect(stepOfField("title")).toBe("what");
    expect(stepOfField("input.biddingDeadline")).toBe("bidding");
    expect(stepOfField("budgetMax.amount")).toBe("bidding");
    expect(stepOfField("requiredCertifications")).toBe("requirements");
    expect(stepOfField("orderId")).toBeNull();
    expect(stepOfField(null)).toBeNull();
  });
});

describe("normaliseAmount", () => {
  it("reads amounts typed the Russian way and refuses anything else", () => {
    expect(normaliseAmount("1 250 000,50")).toBe("1250000.50");
    expect(normaliseAmount("150000")).toBe("150000");
    expect(normaliseAmount("1\u00a0000")).toBe("1000");
    expect(normaliseAmount("12,345")).toBeNull();
    expect(normaliseAmount("сто")).toBeNull();
    expect(normaliseAmount("")).toBeNull();
  });
});

describe("typingProblem and toUpdateInput", () => {
  it("names the first value the schema's types cannot carry", () => {
    expect(typingProblem(filled)).toBeNull();
    expect(typingProblem({ ...filled, process: "" })).toEqual({ field: "process", key: "chooseProcess" });
    expect(typingProblem({ ...filled, quantity: "5 шт" })).toEqual({ field: "quantity", key: "wholeNumber" });
    expect(typingProblem({ ...filled, budgetMax: "много" })).toEqual({ field: "budgetMax", key: "enterAmount" });
  });

  it("sends only what changed, and both ends of the budget together", () => {
    expect(toUpdateInput(filled, { ...filled, quantity: "750" })).toEqual({ quantity: 750 });
    expect(toUpdateInput(filled, { ...filled, budgetMin: "120000" })).toEqual({
      budgetMin: { amount: "120000", currency: "RUB" },
      budgetMax: { amount: "200000.50", currency: "RUB" },
    });
    expect(toUpdateInput(filled, filled)).toEqual({});
  });
});

describe("Stepper", () => {
  it("says where you are, links the reachable steps and marks the one with an error", () => {
    const chosen: string[] = [];
    render(
      <Stepper
        label="Шаги"
        current="b"
        onSelect={(id) => chosen.push(id)}
        steps={[
          { id: "a", label: "Первый", reachable: true },
          { id: "b", label: "Второй", reachable: true },
          { id: "c", label: "Третий", reachable: false, hasError: true },
        ]}
      />,
    );
    expect(screen.getByText("Шаг 2 из 3")).toBeTruthy();
    expect(screen.getByText("Второй").closest("li")?.getAttribute("aria-current")).toBe("step");
    // The current step and unreachable steps are not buttons.
    expect(screen.getAllByRole("button").map((button) => button.textContent)).toEqual(["1Первый"]);
    expect(screen.getByText("Третий").closest("li")?.textContent).toContain("есть ошибка");
    fireEvent.click(screen.getByRole("button", { name: /Первый/ }));
    expect(chosen).toEqual(["a"]);
  });
});

describe("OrderForm", () => {
  it("goes to the step holding the field the API refused, with the error there and the answers kept", async () => {
    render(
      <MemoryRouter initialEntries={["/orders/new?step=check"]}>
        <OrderForm
          initial={filled}
          buyers={[{ id: "org-1", name: "ООО «Заказчик»" }]}
          actions={[{ id: "draft", label: "Сохранить черновик" }]}
          onSubmit={async () => ({ __typename: "ValidationError", message: "must not be below budgetMin", field: "budgetMax" })}
        />
      </MemoryRouter>,
    );
    expect(screen.getByRole("heading", { name: "Проверьте заказ" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Сохранить черновик" }));
    const field = await screen.findByLabelText("Бюджет до, ₽", {}, { timeout: 5000 });
    expect(screen.getByRole("heading", { level: 2, name: "Условия приёма предложений" })).toBeTruthy();
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect((field as HTMLInputElement).value).toBe("200\u00a0000,50");
    expect((screen.getByLabelText("Бюджет от, ₽") as HTMLInputElement).value).toBe("100\u00a0000");
    expect(screen.getByRole("link", { name: "must not be below budgetMin" }).getAttribute("href")).toBe("#order-budgetMax");
  });

  it("does not send a value its type cannot carry: it asks for it at the field", async () => {
    let sent = 0;
    render(
      <MemoryRouter initialEntries={["/orders/new?step=check"]}>
        <OrderForm
          initial={{ ...filled, process: "" }}
          buyers={[]}
          actions={[{ id: "draft", label: "Сохранить черновик" }]}
          onSubmit={async () => {
            sent += 1;
            return null;
          }}
        />
      </MemoryRouter>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Сохранить черновик" }));
    const process = await screen.findByLabelText("Технология", {}, { timeout: 5000 });
    expect(process.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getAllByText("Выберите технологию").length).toBeGreaterThan(0);
    expect(sent).toBe(0);
  });
});
