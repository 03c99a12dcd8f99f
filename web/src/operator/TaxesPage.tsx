// Taxes for operators: declared tax statuses waiting for a check against the tax register, and the exchange's
// fees per month from the ledger (net, the VAT owed on them, the total).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { graphql } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { ErrorText, userErrorOf, type UserErrorLike } from "../ui/forms";
import { Money } from "../ui/Money";
import { Empty, LoadError, Loading } from "../ui/States";
import { UserErrorFragment } from "../errors/userError";

import { LegalId, LegalIdFragment } from "../ui/LegalId";
const TaxStatusesQuery = graphql(
  `
    query TaxStatusesToCheck {
      taxStatusesToCheck(first: 50) {
        edges {
          node {
            id
            name
            ...LegalId
            taxStatus
            taxStatusCheckedAt
          }
        }
      }
    }
  `,
  [LegalIdFragment],
);

const CheckTaxStatusMutation = graphql(
  `
    mutation CheckTaxStatus($id: ID!) {
      checkTaxStatus(id: $id) {
        __typename
        ... on OrganisationSuccess {
          organisation {
            id
            taxStatusCheckedAt
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

const FeeReportQuery = graphql(
  `
    query PlatformFeeReport($since: Date!, $until: Date!) {
      platformFeeReport(since: $since, until: $until) {
        __typename
        ... on PlatformFeeReport {
          timeZone
          months {
            month
            releases
            net {
              amount
              currency
            }
            vat {
              amount
              currency
            }
            gross {
              amount
              currency
            }
          }
          totals {
            currency
            releases
            net {
              amount
              currency
            }
            vat {
              amount
              currency
            }
            gross {
              amount
              currency
            }
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export function TaxesPage() {
  const { t } = useTranslation("operator");
  return (
    <section aria-labelledby="taxes-title">
      <h1 id="taxes-title">{t("taxes.title")}</h1>
      <TaxStatusesToCheck />
      <FeeReport />
    </section>
  );
}

function TaxStatusesToCheck() {
  const { t } = useTranslation("operator");
  const { label } = useLabels();
  const [result, refetch] = useQuery({ query: TaxStatusesQuery, requestPolicy: "cache-and-network" });
  const [state, check] = useMutation(CheckTaxStatusMutation);
  const [error, setError] = useState<UserErrorLike | null>(null);
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const organisations = (result.data?.taxStatusesToCheck?.edges ?? []).map((edge) => edge.node);
  async function onCheck(id: string) {
    const response = await check({ id });
    const refusal = userErrorOf(response.data?.checkTaxStatus);
    setError(refusal ?? (response.error ? { message: response.error.message } : null));
    if (!refusal && !response.error) refetch({ requestPolicy: "network-only" });
  }
  return (
    <section aria-labelledby="tax-check-title">
      <h2 id="tax-check-title">{t("taxes.toCheck")}</h2>
      <p className="muted">{t("taxes.toCheckLead")}</p>
      {error ? (
        <p className="field-message" role="alert">
          <ErrorText error={error} />
        </p>
      ) : null}
      {organisations.length === 0 ? (
        <Empty>{t("taxes.none")}</Empty>
      ) : (
        <ul className="list">
          {organisations.map((organisation) => (
            <li key={organisation.id}>
              <Link to={`/company/${encodeURIComponent(organisation.id)}`}>{organisation.name}</Link> ·{" "}
              <LegalId data={organisation} /> · {label("TaxStatus", organisation.taxStatus)}{" "}
              <button
                type="button"
                className="primary"
                disabled={state.fetching}
                aria-label={t("taxes.checkLabel", { name: organisation.name })}
                onClick={() => void onCheck(organisation.id)}
              >
                {t("taxes.check")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type MoneyValue = { amount: string; currency: string };

/** A fee report row's figures — net fee, its VAT, the fee with VAT, releases — for a month and for a year's total. */
function FeeCells({ row }: { row: { net: MoneyValue; vat: MoneyValue; gross: MoneyValue; releases: number } }) {
  const format = useFormat();
  return (
    <>
      <td className="number">
        <Money value={row.net} kopecks />
      </td>
      <td className="number">
        <Money value={row.vat} kopecks />
      </td>
      <td className="number">
        <strong>
          <Money value={row.gross} kopecks />
        </strong>
      </td>
      <td className="number">{format.number(row.releases)}</td>
    </>
  );
}

const REPORT_YEARS = 11;

function FeeReport() {
  const { t } = useTranslation("operator");
  const format = useFormat();
  const [year, setYear] = useState(() => new Date().getFullYear());
  // A year is picked, not typed (no spinner, no «2 026»): this year and the ten before it, the newest first.
  const years = Array.from({ length: REPORT_YEARS }, (_, back) => new Date().getFullYear() - back);
  // Dates, not instants: the API counts the year's days and months in the exchange's reporting time zone.
  const [result, refetch] = useQuery({
    query: FeeReportQuery,
    variables: { since: `${year}-01-01`, until: `${year + 1}-01-01` },
    requestPolicy: "cache-and-network",
  });
  const report = result.data?.platformFeeReport;
  return (
    <section aria-labelledby="fee-report-title">
      <h2 id="fee-report-title">{t("taxes.report")}</h2>
      <p className="muted">{t("taxes.reportLead")}</p>
      <p>
        <label htmlFor="fee-report-year">{t("taxes.year")}</label>{" "}
        <select id="fee-report-year" value={year} onChange={(event) => setYear(Number(event.target.value))}>
          {years.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      </p>
      {result.fetching && !result.data ? <Loading /> : null}
      {result.error ? <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} /> : null}
      {report?.__typename === "PlatformFeeReport" ? (
        <p className="muted">{t("taxes.timeZone", { zone: report.timeZone })}</p>
      ) : null}
      {report?.__typename === "PlatformFeeReport" ? (
        report.months.length === 0 ? (
          <Empty>{t("taxes.empty")}</Empty>
        ) : (
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">{t("taxes.report")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("taxes.month")}</th>
                  <th scope="col" className="number">
                    {t("taxes.net")}
                  </th>
                  <th scope="col" className="number">
                    {t("taxes.vat")}
                  </th>
                  <th scope="col" className="number">
                    {t("taxes.gross")}
                  </th>
                  <th scope="col" className="number">
                    {t("taxes.releases")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.months.map((month) => (
                  <tr key={`${month.month}:${month.net.currency}`}>
                    <th scope="row">{format.month(month.month)}</th>
                    <FeeCells row={month} />
                  </tr>
                ))}
              </tbody>
              <tfoot>
                {report.totals.map((total) => (
                  <tr key={total.currency} className="total">
                    <th scope="row">
                      {report.totals.length > 1 ? t("taxes.totalIn", { currency: total.currency }) : t("taxes.total", { year })}
                    </th>
                    <FeeCells row={total} />
                  </tr>
                ))}
              </tfoot>
            </table>
          </div>
        )
      ) : report ? (
        <p role="alert">
          <ErrorText error={report} />
        </p>
      ) : null}
    </section>
  );
}
