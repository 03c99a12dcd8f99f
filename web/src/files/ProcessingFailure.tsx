// Why the exchange could not measure a model or make a preview, in the page's language: the API's code
// (ProcessingFailureCode) and the limit it ran into ("больше 50 МБ", "больше 5 000 000 треугольников"), worded
// here per code (messages.ts `failure`); never the API's English sentence.
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { figure, type LimitsLike } from "../errors/figures";

export interface FailureData {
  readonly code: string;
  readonly limits: LimitsLike | null;
}

/** "Модель не удалось проанализировать: файл больше 50 МБ — такие не анализируются." */
export function failureText(
  what: "geometry" | "preview",
  failure: FailureData | null,
  t: TFunction,
  language: string,
): string {
  const limit = failure?.limits?.max != null ? figure(failure.limits.max, failure.limits, t, language) : "";
  const unknown = t("failure.UNKNOWN", { ns: "files" });
  const reason = failure ? t(`failure.${failure.code}`, { ns: "files", limit, defaultValue: unknown }) : unknown;
  return t(what === "geometry" ? "files.geometryFailed" : "files.previewFailed", { ns: "files", reason });
}

export function ProcessingFailure({ what, failure }: { what: "geometry" | "preview"; failure: FailureData | null }) {
  const { t, i18n } = useTranslation();
  return (
    <p className="muted" data-testid={`${what}-failure`}>
      {failureText(what, failure, t, i18n.language)}
    </p>
  );
}
