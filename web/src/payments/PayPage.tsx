// /contracts/:id/pay — the buyer pays a contract into escrow by card: what the money is for, the amount due, the
// card form, and then the wait for Stripe's confirmation until the contract is funded (live through
// contractUpdated, with a short re-query in case the socket misses it). Whether card payment is offered, and to
// whom, is the API's answer (`fundingInstructions.card`); bank transfer stays the alternative on the contract page.
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useQuery, useSubscription } from "urql";
import { graphql } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { Empty, LoadError, Loading } from "../ui/States";
import { CardPaymentForm, CardPaymentFormFragment } from "./CardPaymentForm";
import "./payments.css";

const PayQuery = graphql(
  `
    query ContractPayment($id: ID!) {
      contract(id: $id) {
        id
        status
        quantity
        dueAt
        total {
          amount
          currency
        }
        escrowBalance {
          amount
          currency
        }
        order {
          id
          title
        }
        manufacturer {
          id
          name
        }
        fundingInstructions {
          amountDue {
            amount
            currency
          }
          card {
            publishableKey
          }
          ...CardPaymentForm
        }
      }
    }
  `,
  [CardPaymentFormFragment],
);

const ContractUpdatedSubscription = graphql(`
  subscription ContractPaymentUpdated($contractId: ID!) {
    contractUpdated(contractId: $contractId) {
      __typename
      ... on ContractUpdate {
        transition
        contract {
          id
          status
        }
      }
    }
  }
`);

// While waiting for Stripe's webhook to fund the contract: how often to ask again besides the live updates.
const RECHECK_MS = 2000;

export function PayPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation("payments");
  const format = useFormat();
  const { label } = useLabels();
  const [paid, setPaid] = useState(false);
  const [result, reexecute] = useQuery({ query: PayQuery, variables: { id }, requestPolicy: "cache-and-network" });
  const refresh = useCallback(() => reexecute({ requestPolicy: "network-only" }), [reexecute]);
  useSubscription({ query: ContractUpdatedSubscription, variables: { contractId: id } }, (_previous, event) => {
    if (event.contractUpdated.__typename === "ContractUpdate") refresh();
    return event;
  });
  const contract = result.data?.contract;
  const waiting = paid && contract?.fundingInstructions != null;
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setInterval(refresh, RECHECK_MS);
    return () => window.clearInterval(timer);
  }, [waiting, refresh]);

  if (result.fetching && !result.data) return <Loading />;
  if (result.error && !result.data) return <LoadError error={result.error} retry={refresh} />;
  if (!contract) return <Empty>{t("pay.notFound")}</Empty>;
  const instructions = contract.fundingInstructions;
  const status = label("ContractStatus", contract.status);
  const back = `/contracts/${contract.id}`;

  return (
    <section className="pay-page" aria-labelledby="pay-title">
      <p>
        <Link to={back}>← {t("pay.backToContract")}</Link>
      </p>
      <h1 id="pay-title">{t("pay.title")}</h1>
      <p className="lead">{t("pay.lead")}</p>
      <section className="card pay-summary" aria-labelledby="pay-summary-title">
        <h2 id="pay-summary-title">{t("pay.summary")}</h2>
        <dl className="facts">
          <dt>{t("pay.order")}</dt>
          <dd>{contract.order ? <Link to={`/orders/${contract.order.id}`}>{contract.order.title}</Link> : "—"}</dd>
          <dt>{t("pay.manufacturer")}</dt>
          <dd>{contract.manufacturer.name}</dd>
          <dt>{t("pay.quantity")}</dt>
          <dd>{t("pay.quantityValue", { count: contract.quantity })}</dd>
          <dt>{t("pay.total")}</dt>
          <dd>{format.money(contract.total)}</dd>
          {/[1-9]/.test(contract.escrowBalance.amount) ? (
            <>
              <dt>{t("pay.held")}</dt>
              <dd>{format.money(contract.escrowBalance)}</dd>
            </>
          ) : null}
          {instructions ? (
            <>
              <dt>{t("pay.due")}</dt>
              <dd className="pay-due">{format.money(instructions.amountDue)}</dd>
            </>
          ) : null}
          {instructions && contract.dueAt ? (
            <>
              <dt>{t("pay.deadline")}</dt>
              <dd>
                {t("pay.deadlineValue", {
                  date: format.dateTime(contract.dueAt),
                  relative: format.relative(contract.dueAt),
                })}
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      {!instructions ? (
        paid ? (
          <div className="success" role="status">
            <p>{t("pay.funded", { status })}</p>
            <p>
              <Link to={back}>{t("pay.toContract")}</Link>
            </p>
          </div>
        ) : (
          <p className="notice" role="status">
            {t("pay.notAwaiting", { status })} <Link to={back}>{t("pay.toContract")}</Link>
          </p>
        )
      ) : waiting ? (
        <p className="notice pay-waiting" role="status" aria-live="polite">
          {t("pay.waiting")}
        </p>
      ) : instructions.card ? (
        <CardPaymentForm contractId={contract.id} data={instructions} onPaid={() => setPaid(true)} />
      ) : (
        <p className="notice" role="status">
          {t("pay.noCard")}
        </p>
      )}

      {instructions && !waiting ? (
        <p className="muted">
          {t("pay.bankTransfer")} <Link to={`${back}#funding`}>{t("pay.bankTransferLink")}</Link>
        </p>
      ) : null}
    </section>
  );
}
