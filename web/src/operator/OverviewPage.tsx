// The exchange at a glance: counts, money and the outbox, all aggregated by the API.
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useQuery } from "urql";
import { graphql } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { LoadError, Loading } from "../ui/States";
import { StatusBars } from "./StatusBars";

const OverviewQuery = graphql(`
  query ExchangeOverview {
    exchangeOverview {
      ordersByStatus {
        status
        count
      }
      contractsByStatus {
        status
        count
      }
      escrowHeld {
        amount
        currency
      }
      feesEarned {
        amount
        currency
      }
      outbox {
        topic
        pending
        failing
        oldestPendingAt
        lastRelayedAt
      }
      failingOutboxMessages {
        topic
        key
        attempts
        lastError
        nextAttemptAt
      }
      users
      organisations
      unverifiedOrganisations
      pendingPaymentInstructions
    }
  }
`);

export function OverviewPage() {
  const { t } = useTranslation("operator");
  const format = useFormat();
  const { label } = useLabels();
  const [result, refetch] = useQuery({ query: OverviewQuery, requestPolicy: "cache-and-network" });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const overview = result.data?.exchangeOverview;
  if (!overview) return <LoadError />;
  const sums = (money: { amount: string; currency: string }[]) =>
    money.length ? money.map((m) => format.money(m)).join(" · ") : t("glance.nothing");
  return (
    <section>
      <h1>{t("glance.title")}</h1>
      <dl className="kpis">
        <div>
          <dt>{t("glance.escrowHeld")}</dt>
          <dd>{sums(overview.escrowHeld)}</dd>
        </div>
        <div>
          <dt>{t("glance.feesEarned")}</dt>
          <dd>{sums(overview.feesEarned)}</dd>
        </div>
        <div>
          <dt>{t("glance.organisations")}</dt>
          <dd>{format.number(overview.organisations)}</dd>
        </div>
        <div>
          <dt>{t("glance.users")}</dt>
          <dd>{format.number(overview.users)}</dd>
        </div>
        <div>
          <dt>{t("glance.unverified")}</dt>
          <dd>
            <Link to="/operator/verification">{format.number(overview.unverifiedOrganisations)}</Link>
          </dd>
        </div>
        <div>
          <dt>{t("glance.pendingInstructions")}</dt>
          <dd>
            <Link to="/operator/payments">{format.number(overview.pendingPaymentInstructions)}</Link>
          </dd>
        </div>
      </dl>
      <div className="charts">
        <StatusBars
          title={t("glance.orders")}
          bars={overview.ordersByStatus.map((row) => ({
            key: row.status,
            label: label("OrderStatus", row.status),
            count: row.count,
          }))}
        />
        <StatusBars
          title={t("glance.contracts")}
          bars={overview.contractsByStatus.map((row) => ({
            key: row.status,
            label: label("ContractStatus", row.status),
            count: row.count,
          }))}
        />
      </div>
      <h2 id="outbox-title">{t("glance.outbox")}</h2>
      <p className="muted">{t("glance.outboxLead")}</p>
      <p>{t("glance.outboxHelp")}</p>
      {overview.outbox.length === 0 ? (
        <p className="state state-empty">{t("glance.noOutbox")}</p>
      ) : (
        <div className="table-scroll">
          <table className="table" aria-labelledby="outbox-title">
            <thead>
              <tr>
                <th scope="col">{t("glance.topic")}</th>
                <th scope="col" className="number">
                  {t("glance.pending")}
                </th>
                <th scope="col" className="number">
                  {t("glance.failing")}
                </th>
                <th scope="col">{t("glance.oldest")}</th>
                <th scope="col">{t("glance.lastRelayed")}</th>
              </tr>
            </thead>
            <tbody>
              {overview.outbox.map((topic) => (
                <tr key={topic.topic}>
                  <th scope="row">{t(`glance.topics.${topic.topic}`, { defaultValue: topic.topic })}</th>
                  <td className="number">{format.number(topic.pending)}</td>
                  <td className="number">{format.number(topic.failing)}</td>
                  <td>{topic.oldestPendingAt ? format.relative(topic.oldestPendingAt) : t("glance.nothingWaiting")}</td>
                  <td>{topic.lastRelayedAt ? format.dateTime(topic.lastRelayedAt) : t("glance.never")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {overview.failingOutboxMessages.length > 0 ? (
        <>
          <h2 id="outbox-failing-title">{t("glance.failingRows")}</h2>
          <p className="muted">{t("glance.failingLead")}</p>
          <div className="table-scroll">
            <table className="table outbox-failures" aria-labelledby="outbox-failing-title">
              <thead>
                <tr>
                  <th scope="col">{t("glance.topic")}</th>
                  <th scope="col">{t("glance.key")}</th>
                  <th scope="col" className="number">
                    {t("glance.attempts")}
                  </th>
                  <th scope="col">{t("glance.nextAttempt")}</th>
                  <th scope="col">{t("glance.lastError")}</th>
                </tr>
              </thead>
              <tbody>
                {overview.failingOutboxMessages.map((row) => (
                  <tr key={`${row.topic}:${row.key}:${row.nextAttemptAt}`}>
                    <td>{t(`glance.topics.${row.topic}`, { defaultValue: row.topic })}</td>
                    <td>
                      <code>{row.key}</code>
                    </td>
                    <td className="number">{format.number(row.attempts)}</td>
                    <td>{format.dateTime(row.nextAttemptAt)}</td>
                    <td>
                      <code>{row.lastError}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
