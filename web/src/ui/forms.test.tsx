import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { CheckboxGroup, ErrorSummary, ErrorText, errorIsFor, Field, userErrorOf } from "./forms";
import { Highlighted } from "./Highlighted";

describe("userErrorOf", () => {
  it("takes the refusal members of a result union and leaves the success member", () => {
    expect(userErrorOf({ __typename: "ValidationError", message: "must not be empty", field: "title" })).toEqual({
      __typename: "ValidationError",
      message: "must not be empty",
      field: "title",
    });
    expect(userErrorOf({ __typename: "OrderSuccess" })).toBeNull();
    expect(userErrorOf(null)).toBeNull();
  });
});

describe("errorIsFor", () => {
  it("matches the API's field spelling with or without the input's prefix", () => {
    const error = { message: "taken", field: "organisation.legalId" };
    expect(errorIsFor(error, ["organisation.legalId"])).toBe(true);
    expect(errorIsFor(error, ["legalId"])).toBe(true);
    expect(errorIsFor(error, ["name"])).toBe(false);
    expect(errorIsFor({ message: "no field" }, ["name"])).toBe(false);
  });
});

describe("Field and ErrorSummary", () => {
  it("show the API's message at the field it names, linked from the summary", () => {
    const error = { __typename: "ValidationError", message: "use at least 10 characters", field: "password" };
    render(
      <>
        <ErrorSummary form="f" error={error} />
        <Field form="f" name="email" label="E-mail" error={error}>
          {(props) => <input {...props} />}
        </Field>
        <Field form="f" name="password" label="Пароль" error={error}>
          {(props) => <input {...props} />}
        </Field>
      </>,
    );
    const password = screen.getByLabelText("Пароль");
    expect(password.getAttribute("aria-invalid")).toBe("true");
    expect(password.getAttribute("aria-describedby")).toBeTruthy();
    expect(document.getElementById(password.getAttribute("aria-describedby")!)?.textContent).toBe(
      "use at least 10 characters",
    );
    expect(screen.getByLabelText("E-mail").getAttribute("aria-invalid")).toBeNull();
    const link = screen.getByRole("link", { name: "use at least 10 characters" });
    expect(link.getAttribute("href")).toBe("#f-password");
    expect(screen.getByRole("alert").textContent).toContain("Исправьте ошибки");
  });
});

describe("CheckboxGroup", () => {
  it("adds and removes values in order", () => {
    let selected: string[] = ["A"];
    const { rerender } = render(
      <CheckboxGroup
        form="g"
        name="letters"
        legend="Буквы"
        options={["A", "B", "C"]}
        selected={selected}
        onChange={(next) => (selected = next)}
        labelOf={(value) => `буква ${value}`}
      />,
    );
    fireEvent.click(screen.getByLabelText("буква C"));
    expect(selected).toEqual(["A", "C"]);
    rerender(
      <CheckboxGroup
        form="g"
        name="letters"
        legend="Буквы"
        options={["A", "B", "C"]}
        selected={selected}
        onChange={(next) => (selected = next)}
        labelOf={(value) => `буква ${value}`}
      />,
    );
    fireEvent.click(screen.getByLabelText("буква A"));
    expect(selected).toEqual(["C"]);
  });
});

describe("Highlighted", () => {
  it("marks only the <mark> spans and shows any other markup as text", () => {
    const { container } = render(<Highlighted snippet={'<mark>фрезер</mark>ование <b>x</b> <mark>Д16Т</mark>'} />);
    expect([...container.querySelectorAll("mark")].map((mark) => mark.textContent)).toEqual(["фрезер", "Д16Т"]);
    expect(container.querySelector("b")).toBeNull();
    expect(container.textContent).toBe("фрезерование <b>x</b> Д16Т");
  });
});

describe("ErrorText", () => {
  it("says what the code means in Russian instead of the API's English words", () => {
    const { container } = render(
      <ErrorText error={{ message: "use at least 10 characters", code: "OUT_OF_RANGE", field: "password" }} />,
    );
    expect(container.textContent).toBe("Значение выходит за допустимые пределы. Проверьте число или дату.");
    expect(container.querySelector('span[lang="en"]')).toBeNull();
  });
  it("shows the API's message, marked as English, when the code is not one this build knows", () => {
    const { container } = render(<ErrorText error={{ message: "refused", code: "SOMETHING_NEW" }} />);
    expect(container.textContent).toBe("refused");
    expect(container.querySelector('span[lang="en"]')?.textContent).toBe("refused");
  });
});
