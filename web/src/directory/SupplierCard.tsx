import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useLabels } from "../i18n/labels";
import { Highlighted } from "../ui/Highlighted";

export const SupplierCardFragment = graphql(`
  fragment SupplierCard on Organisation {
    id
    name
    region
    verified
    manufacturerProfile {
      processes
      materials
    }
    certifications {
      standard
      valid
    }
    kpis {
      ratingAverage
      ratingCount
    }
  }
`);

export function SupplierCard({
  data,
  highlights = [],
  children,
}: {
  data: FragmentOf<typeof SupplierCardFragment>;
  highlights?: readonly { field: string; snippet: string }[];
  /** What a screen adds to the card: a score, a reason, an action ("Пригласить"). */
  children?: React.ReactNode;
}) {
  const { t, i18n } = useTranslation("directory");
  const { label, region } = useLabels();
  const supplier = readFragment(SupplierCardFragment, data);
  const rating = supplier.kpis.ratingAverage;
  return (
    <article className="card">
      <h3>
        <Link to={`/suppliers/${supplier.id}`}>{supplier.name}</Link>
        {supplier.verified ? <span className="badge badge-ok">{t("directory.verified")}</span> : null}
      </h3>
      <p className="muted">
        {region(supplier.region)}
        {rating !== null && rating !== undefined
          ? ` · ★ ${rating.toLocaleString(i18n.language, { maximumFractionDigits: 1 })} · ${t("supplier.reviewsCount", { count: supplier.kpis.ratingCount })}`
          : null}
      </p>
      {supplier.manufacturerProfile ? (
        <ul className="tags" aria-label={t("supplier.processes")}>
          {supplier.manufacturerProfile.processes.map((process) => (
            <li key={process}>{label("Process", process)}</li>
          ))}
        </ul>
      ) : null}
      {supplier.certifications.some((c) => c.valid) ? (
        <p className="muted">
          {supplier.certifications
            .filter((c) => c.valid)
            .map((c) => label("CertificationStandard", c.standard))
            .join(", ")}
        </p>
      ) : null}
      {highlights.map((highlight) => (
        <p key={highlight.field} className="snippet">
          <Highlighted snippet={highlight.snippet} />
        </p>
      ))}
      {children}
    </article>
  );
}
