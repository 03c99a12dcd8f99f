// A manufacturer's public page: what it makes, its certificates, spare capacity, record and reviews.
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { useQuery } from "urql";
import { graphql } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { Empty, LoadError, Loading } from "../ui/States";
import { RecordCharts, RecordChartsFragment } from "./RecordCharts";

const SupplierQuery = graphql(
  `
  query Supplier($id: ID!) {
    organisation(id: $id) {
      id
      name
      region
      kind
      verified
      createdAt
      manufacturerProfile {
        processes
        materials
        maxPartXMm
        maxPartYMm
        maxPartZMm
        minQuantity
        maxQuantity
        description
      }
      certifications {
        id
        standard
        certificateNumber
        issuedBy
        validUntil
        valid
      }
      capacity {
        id
        process
        machineHoursPerWeek
        availableFrom
        availableTo
        hourlyRate {
          amount
          currency
        }
      }
      kpis {
        onTimeDeliveryRate {
          value
          successes
          total
        }
        disputeRate {
          value
          successes
          total
        }
        invitationResponseRate {
          value
          successes
          total
        }
        medianInvitationResponseHours
        ratingAverage
        ratingCount
      }
      ...RecordCharts
      reviews(first: 10) {
        edges {
          node {
            id
            rating
            text
            createdAt
            author {
              id
              name
            }
          }
        }
      }
    }
  }
`,
  [RecordChartsFragment],
);

export function SupplierPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation("directory");
  const format = useFormat();
  const { label, region } = useLabels();
  const [result, refetch] = useQuery({ query: SupplierQuery, variables: { id } });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const supplier = result.data?.organisation;
  if (!supplier) return <Empty>{t("common:state.notFound")}</Empty>;
  const profile = supplier.manufacturerProfile;
  const kpis = supplier.kpis;
  const percent = (rate: { value?: number | null; successes: number; total: number }) =>
    rate.value === null || rate.value === undefined
      ? t("supplier.noData")
      : t("supplier.rate", {
          value: new Intl.NumberFormat(format.language, { style: "percent" }).format(rate.value),
          successes: rate.successes,
          total: rate.total,
        });
  return (
    <article className="supplier">
      <header className="page-header">
        <h1>{supplier.name}</h1>
        <p className="muted">
          {region(supplier.region)} · {label("OrganisationKind", supplier.kind)} ·{" "}
          {t("supplier.memberSince", { date: format.date(supplier.createdAt) })}
        </p>
        {supplier.verified ? <p className="badge badge-ok">{t("directory.verified")}</p> : null}
      </header>

      <section aria-labelledby="capabilities">
        <h2 id="capabilities">{t("supplier.capabilities")}</h2>
        {profile ? (
          <>
            {profile.description ? <p>{profile.description}</p> : null}
            <dl className="facts">
              <dt>{t("supplier.processes")}</dt>
              <dd>
                <ul className="tags">
                  {profile.processes.map((process) => (
                    <li key={process}>{label("Process", process)}</li>
                  ))}
                </ul>
              </dd>
              <dt>{t("supplier.materials")}</dt>
              <dd>{profile.materials.length ? profile.materials.join(", ") : t("supplier.notStated")}</dd>
              <dt>{t("supplier.quantity")}</dt>
              <dd>
                {profile.maxQuantity
                  ? t("supplier.quantityRange", {
                      min: format.number(profile.minQuantity),
                      max: format.number(profile.maxQuantity),
                    })
                  : t("supplier.quantityFrom", { min: format.number(profile.minQuantity) })}
              </dd>
              <dt>{t("supplier.envelope")}</dt>
              <dd>
                {profile.maxPartXMm && profile.maxPartYMm && profile.maxPartZMm
                  ? t("supplier.envelopeValue", {
                      x: format.number(profile.maxPartXMm),
                      y: format.number(profile.maxPartYMm),
                      z: format.number(profile.maxPartZMm),
                    })
                  : t("supplier.notStated")}
              </dd>
            </dl>
          </>
        ) : (
          <Empty>{t("supplier.noProfile")}</Empty>
        )}
      </section>

      <section aria-labelledby="certificates">
        <h2 id="certificates">{t("supplier.certificates")}</h2>
        {supplier.certifications.length ? (
          <ul className="list">
            {supplier.certifications.map((c) => (
              <li key={c.id} className={c.valid ? "" : "muted"}>
                <strong>{label("CertificationStandard", c.standard)}</strong> № {c.certificateNumber}, {c.issuedBy} —{" "}
                {c.valid
                  ? t("supplier.validUntil", { date: format.date(c.validUntil) })
                  : t("supplier.expired", { date: format.date(c.validUntil) })}
              </li>
            ))}
          </ul>
        ) : (
          <Empty>{t("supplier.noCertificates")}</Empty>
        )}
      </section>

      <section aria-labelledby="capacity">
        <h2 id="capacity">{t("supplier.capacity")}</h2>
        {supplier.capacity.length ? (
          <ul className="list">
            {supplier.capacity.map((listing) => (
              <li key={listing.id}>
                <strong>{label("Process", listing.process)}</strong>:{" "}
                {t("supplier.capacityLine", {
                  hours: listing.machineHoursPerWeek,
                  from: format.date(listing.availableFrom),
                  to: format.date(listing.availableTo),
                  rate: format.money(listing.hourlyRate),
                })}
              </li>
            ))}
          </ul>
        ) : (
          <Empty>{t("supplier.noCapacity")}</Empty>
        )}
      </section>

      <section aria-labelledby="record">
        <h2 id="record">{t("supplier.record")}</h2>
        <dl className="kpis">
          <div>
            <dt>{t("supplier.rating")}</dt>
            <dd>
              {kpis.ratingAverage !== null && kpis.ratingAverage !== undefined
                ? t("supplier.ratingValue", { value: format.number(Math.round(kpis.ratingAverage * 10) / 10) })
                : t("supplier.noData")}
              <span className="muted"> · {t("supplier.reviewsCount", { count: kpis.ratingCount })}</span>
            </dd>
          </div>
          <div>
            <dt>{t("supplier.onTime")}</dt>
            <dd>{percent(kpis.onTimeDeliveryRate)}</dd>
          </div>
          <div>
            <dt>{t("supplier.disputes")}</dt>
            <dd>{percent(kpis.disputeRate)}</dd>
          </div>
          <div>
            <dt>{t("supplier.responses")}</dt>
            <dd>{percent(kpis.invitationResponseRate)}</dd>
          </div>
          <div>
            <dt>{t("supplier.responseTime")}</dt>
            <dd>
              {kpis.medianInvitationResponseHours !== null && kpis.medianInvitationResponseHours !== undefined
                ? t("supplier.hours", { count: Math.round(kpis.medianInvitationResponseHours) })
                : t("supplier.noData")}
            </dd>
          </div>
        </dl>
        <RecordCharts data={supplier} />
      </section>

      <section aria-labelledby="reviews">
        <h2 id="reviews">{t("supplier.reviews")}</h2>
        {supplier.reviews.edges.length ? (
          <ul className="list">
            {supplier.reviews.edges.map(({ node }) => (
              <li key={node.id}>
                <p>
                  <span aria-label={t("supplier.ratingValue", { value: node.rating })}>
                    {"★".repeat(node.rating)}
                    {"☆".repeat(5 - node.rating)}
                  </span>{" "}
                  <span className="muted">
                    {node.author.name}, {format.date(node.createdAt)}
                  </span>
                </p>
                {node.text ? <p>{node.text}</p> : null}
              </li>
            ))}
          </ul>
        ) : (
          <Empty>{t("supplier.noReviews")}</Empty>
        )}
      </section>
    </article>
  );
}
