import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ContractParties, contractTitle, partiesTitle } from "./ContractLabel";

// What an operator page's query hands over for a contract spreading the fragments (unmasked at run time).
const contract = {
  id: "Q29udHJhY3Q6MQ==",
  order: { id: "T3JkZXI6MQ==", title: "Корпус датчика, 500 шт." },
  buyer: { id: "b", name: "ООО «Заказчик»" },
  manufacturer: { id: "m", name: "ООО «Фреза»" },
};

describe("ContractLabel", () => {
  it("names a contract by its order's title, by its id when there is no order", () => {
    expect(contractTitle(contract as never)).toBe("Корпус датчика, 500 шт.");
    expect(partiesTitle(contract as never)).toBe("Корпус датчика, 500 шт.");
    expect(contractTitle({ ...contract, order: null } as never)).toBe("Q29udHJhY3Q6MQ==");
  });

  it("shows the parties buyer → manufacturer", () => {
    const { container } = render(<ContractParties data={contract as never} />);
    expect(container.textContent).toBe("ООО «Заказчик» → ООО «Фреза»");
  });
});
