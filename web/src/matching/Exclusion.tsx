// Why a manufacturer does not fit, in the page's language: the API sends a code (ExclusionReason) and its
// parameters as data; the sentence is ours, with numbers and sizes through Intl. (MatchExclusion.reason is the
// API's English rendering for other clients; it is not shown here.)
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";

export const ExclusionReasonFragment = graphql(`
  fragment ExclusionReason on MatchExclusion {
    code
    process
    material
    quantity
    quantityLimit
    requiredStandard
    partMm
    largestPartMm
    partSource
    partModelName
    freeHours
    requiredHours
  }
`);

export function ExclusionReason({ data }: { data: FragmentOf<typeof ExclusionReasonFragment> }) {
  const { t } = useTranslation("matching");
  const format = useFormat();
  const { label } = useLabels();
  const exclusion = readFragment(ExclusionReasonFragment, data);
  const number = (value: number | null | undefined) => (value == null ? "" : format.number(value));
  const sides = (values: readonly number[] | null | undefined) => (values ?? []).map(format.number).join(" × ");
  const largest = exclusion.largestPartMm ?? [];
  const source =
    exclusion.partSource === "BUYER"
      ? t("excluded.sourceBuyer")
      : exclusion.partModelName
        ? t("excluded.sourceModel", { name: exclusion.partModelName })
        : t("excluded.sourceAnyModel");
  return (
    <>
      {t(`excluded.why.${exclusion.code}`, {
        process: exclusion.process ? label("Process", exclusion.process) : "",
        material: exclusion.material ?? "",
        quantity: number(exclusion.quantity),
        limit: number(exclusion.quantityLimit),
        standard: exclusion.requiredStandard ? label("CertificationStandard", exclusion.requiredStandard) : "",
        part: t("excluded.sides", { sides: sides(exclusion.partMm) }),
        source,
        largest: t(largest.length < 3 ? "excluded.sidesOpen" : "excluded.sides", { sides: sides(largest) }),
        free: number(exclusion.freeHours),
        required: number(exclusion.requiredHours),
      })}
    </>
  );
}
