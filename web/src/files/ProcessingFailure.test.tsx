// A model's failed analysis and a drawing's missing preview, worded per the API's code in Russian and English, with
// the limit it ran into; never the API's English sentence.
import { cleanup, render, screen } from "@testing-library/react";
import i18next from "i18next";
import { afterEach, describe, expect, it } from "vitest";
import { FilePreview } from "./FilePreview";
import { ProcessingFailure } from "./ProcessingFailure";

const spaced = (text: string | null | undefined) => (text ?? "").replace(/[\u00a0\u202f]/g, " ");

afterEach(async () => {
  cleanup();
  await i18next.changeLanguage("ru");
});

describe("ProcessingFailure", () => {
  it("says a model was too large to analyse, with the limit in megabytes", () => {
    render(<ProcessingFailure what="geometry" failure={{ code: "TOO_LARGE", limits: { unit: "BYTES", max: "209715200" } }} />);
    expect(spaced(screen.getByTestId("geometry-failure").textContent)).toBe(
      "Габариты модели не определены: файл больше 200 МБ, такие не анализируются. Скачайте его и откройте в CAD-программе.",
    );
  });

  it("says how many triangles are analysed, in English too", async () => {
    const failure = { code: "TOO_COMPLEX", limits: { unit: "TRIANGLES", max: "5000000" } };
    render(<ProcessingFailure what="geometry" failure={failure} />);
    expect(spaced(screen.getByTestId("geometry-failure").textContent)).toContain("в модели больше 5 000 000 треугольников");
    cleanup();
    await i18next.changeLanguage("en");
    render(<ProcessingFailure what="geometry" failure={failure} />);
    expect(screen.getByTestId("geometry-failure").textContent).toContain("the model has more than 5,000,000 triangles");
  });

  it("says why a drawing has no preview, in the page's language", () => {
    render(
      <FilePreview
        name="macro.pdf"
        preview={{ status: "FAILED", kind: "PAGE", url: null, failure: { code: "ACTIVE_CONTENT", limits: null } }}
      />,
    );
    expect(screen.getByTestId("preview-failure").textContent).toBe(
      "Предпросмотра нет: в PDF есть JavaScript или автозапуск, такие файлы мы не показываем. Скачайте его, чтобы открыть.",
    );
  });

  it("does not repeat the model's reason for its preview", () => {
    const failure = { code: "UNREADABLE", limits: null };
    render(
      <FilePreview name="broken.step" preview={{ status: "FAILED", kind: "MODEL", url: null, failure }} geometryFailure={failure} />,
    );
    expect(screen.getByTestId("preview-failure").textContent).toBe("Предпросмотра нет по той же причине.");
  });

  it("says the reason is unknown for a code this build does not know", () => {
    render(<ProcessingFailure what="preview" failure={{ code: "SOMETHING_NEW", limits: null }} />);
    expect(screen.getByTestId("preview-failure").textContent).toBe("Предпросмотра нет: причина неизвестна.");
  });
});
