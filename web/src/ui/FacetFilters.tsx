// The search facets both the supplier directory and the order board keep in the URL (q, process, region, cert),
// read and written in one place, and the process and certificate checkboxes of their filter sidebars.
import { enumValues, type EnumOf } from "../i18n/enums";
import { useLabels } from "../i18n/labels";
import { CheckboxGroup } from "./forms";

export interface FacetSearch {
  query: string;
  processes: EnumOf<"Process">[];
  regions: string[];
  certifications: EnumOf<"CertificationStandard">[];
}

/** The facets from the URL; values that are not the schema's enum values are dropped. */
export function readFacetSearch(params: URLSearchParams): FacetSearch {
  const processes = new Set<string>(enumValues("Process"));
  const certifications = new Set<string>(enumValues("CertificationStandard"));
  return {
    query: params.get("q") ?? "",
    processes: params.getAll("process").filter((p) => processes.has(p)) as EnumOf<"Process">[],
    regions: params.getAll("region"),
    certifications: params.getAll("cert").filter((c) => certifications.has(c)) as EnumOf<"CertificationStandard">[],
  };
}

export function writeFacetSearch(search: FacetSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.query) params.set("q", search.query);
  search.processes.forEach((p) => params.append("process", p));
  search.regions.forEach((r) => params.append("region", r));
  search.certifications.forEach((c) => params.append("cert", c));
  return params;
}

/** Processes and certificates as checkboxes, each group folded until one of its values is chosen. */
export function ProcessAndCertificateFilters({
  form,
  search,
  update,
  processesLabel,
  certificationsLabel,
}: {
  form: string;
  search: Pick<FacetSearch, "processes" | "certifications">;
  update: (next: Partial<Pick<FacetSearch, "processes" | "certifications">>) => void;
  processesLabel: string;
  certificationsLabel: string;
}) {
  const { label } = useLabels();
  return (
    <>
      <details open={search.processes.length > 0}>
        <summary>{processesLabel}</summary>
        <CheckboxGroup
          form={form}
          name="processes"
          legend={processesLabel}
          options={enumValues("Process")}
          selected={search.processes}
          onChange={(processes) => update({ processes })}
          labelOf={(value) => label("Process", value)}
        />
      </details>
      <details open={search.certifications.length > 0}>
        <summary>{certificationsLabel}</summary>
        <CheckboxGroup
          form={form}
          name="certifications"
          legend={certificationsLabel}
          options={enumValues("CertificationStandard")}
          selected={search.certifications}
          onChange={(certifications) => update({ certifications })}
          labelOf={(value) => label("CertificationStandard", value)}
        />
      </details>
    </>
  );
}
