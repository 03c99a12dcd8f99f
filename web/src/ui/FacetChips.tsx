// Facet chips over search results: each value with how many results carry it; pressing one adds it to the
// filter (or removes it), the same in the supplier directory and on the order board.
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useLabels } from "../i18n/labels";

export const FacetChipsFragment = graphql(`
  fragment FacetChips on SearchFacets {
    processes {
      value
      count
    }
    regions {
      value
      count
    }
    certifications {
      value
      count
    }
  }
`);

export type FacetKind = "processes" | "certifications" | "regions";

export function FacetChips({
  facets,
  selected,
  onToggle,
  limit = 16,
}: {
  facets: FragmentOf<typeof FacetChipsFragment>;
  selected: Record<FacetKind, readonly string[]>;
  onToggle: (kind: FacetKind, value: string) => void;
  limit?: number;
}) {
  const { t } = useTranslation();
  const { label, region } = useLabels();
  const counts = readFragment(FacetChipsFragment, facets);
  const chips = [
    ...counts.processes.map((f) => ({ kind: "processes" as const, ...f, text: label("Process", f.value) })),
    ...counts.certifications.map((f) => ({
      kind: "certifications" as const,
      ...f,
      text: label("CertificationStandard", f.value),
    })),
    ...counts.regions.map((f) => ({ kind: "regions" as const, ...f, text: region(f.value) })),
  ];
  if (chips.length === 0) return null;
  return (
    <ul className="chips">
      {chips.slice(0, limit).map((chip) => {
        const active = selected[chip.kind].includes(chip.value);
        return (
          <li key={`${chip.kind}:${chip.value}`}>
            <button
              type="button"
              className={active ? "chip chip-active" : "chip"}
              aria-pressed={active}
              aria-label={
                active
                  ? t("facets.remove", { label: chip.text })
                  : t("facets.add", { label: chip.text, count: chip.count })
              }
              onClick={() => onToggle(chip.kind, chip.value)}
            >
              {chip.text} <span className="count">{chip.count}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
