// One dispute: the contract's story (the contract room's timeline with its audit log open — who did what, when, and
// why — the parties' messages, milestones and escrow movements) and the settlement form. The split is the API's
// preview, computed by the same rule that settles.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";
import { graphql } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { Empty, LoadError, Loading } from "../ui/States";
import { ContractTimelineFragment, Timeline } from "../contracts/Timeline";
import { ContractParties, ContractPartiesFragment, partiesTitle } from "./ContractLabel";
import { ResolveForm } from "./ResolveForm";

const DisputeQuery = graphql(
  `
  query DisputeStory($id: ID!) {
    contract(id: $id) {
      id
      status
      quantity
      trackingReference
      total {
        amount
        currency
      }
      platformFee {
        amount
        currency
      }
      escrowBalance {
        amount
        currency
      }
      ...OperatorContractParties
      ...ContractTimeline
      milestones {
        name
        amount {
          amount
          currency
        }
        platformFee {
          amount
          currency
        }
        status
        settledAt
      }
      ledgerLines {
        kind
        account
        amount {
          amount
          currency
        }
        createdAt
      }
    }
    contractMessages(contractId: $id, first: 100) {
      edges {
        node {
          id
          body
          createdAt
          author {
            id
            name
          }
          attachments {
            name
            sizeBytes
          }
        }
      }
    }
  }
`,
  [ContractPartiesFragment, ContractTimelineFragment],
);

export function DisputePage() {
  const { id = "" } = useParams();
  const { t } = useTranslation("operator");
  const format = useFormat();
  const { label } = useLabels();
  const [settled, setSettled] = useState(false);
  const [result, reexecute] = useQuery({ query: DisputeQuery, variables: { id }, requestPolicy: "cache-and-network" });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  const contract = result.data?.contract;
  if (!contract) return <Empty>{t("common:state.notFound")}</Empty>;
  const messages = result.data?.contractMessages.edges ?? [];
  return (
    <section>
      <p>
        <Link to="/operator/disputes">← {t("disputes.title")}</Link>
      </p>
      <h1>{partiesTitle(contract)}</h1>
      <p>
        <span className="badge">{label("ContractStatus", contract.status)}</span>{" "}
        <span className="muted">
          <ContractParties data={contract} />
        </span>
      </p>
      <dl className="facts">
        <dt>{t("disputes.total")}</dt>
        <dd>{format.money(contract.total)}</dd>
        <dt>{t("disputes.fee")}</dt>
        <dd>{format.money(contract.platformFee)}</dd>
        <dt>{t("disputes.escrow")}</dt>
        <dd data-testid="escrow">{format.money(contract.escrowBalance)}</dd>
      </dl>
      <div className="dispute-columns">
        <div>
          <Timeline data={contract} logOpen />
          <h2>{t("disputes.messages")}</h2>
          {messages.length === 0 ? (
            <p className="muted">{t("disputes.noMessages")}</p>
          ) : (
            <ol className="messages">
              {messages.map(({ node }) => (
                <li key={node.id}>
                  <p className="muted">
                    <strong>{node.author.name}</strong> · {format.dateTime(node.createdAt)}
                  </p>
                  <p className="message-body">{node.body}</p>
                  {node.attachments.length > 0 ? (
                    <ul className="attachments">
                      {node.attachments.map((file) => (
                        <li key={file.name}>
                          📎 {file.name} ({format.number(Math.ceil(file.sizeBytes / 1024))} KB)
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
        </div>
        <div>
          <h2>{t("disputes.milestones")}</h2>
          <ul className="list">
            {contract.milestones.map((milestone) => (
              <li key={milestone.name}>
                {t(`disputes.milestoneName.${milestone.name}`, { defaultValue: milestone.name })}:{" "}
                {t("disputes.milestoneAmount", {
                  amount: format.money(milestone.amount),
                  fee: format.money(milestone.platformFee),
                })}{" "}
                —{" "}
                {t(`disputes.milestoneStatus.${milestone.status}`, { defaultValue: milestone.status })}
              </li>
            ))}
          </ul>
          <h2>{t("disputes.ledger")}</h2>
          <table className="table">
            <tbody>
              {contract.ledgerLines
                .filter((line) => line.account.startsWith("escrow:"))
                .map((line, index) => (
                  <tr key={index}>
                    <td>{format.dateTime(line.createdAt)}</td>
                    <td>{t(`disputes.ledgerKind.${line.kind}`, { defaultValue: line.kind })}</td>
                    <td>{format.money(line.amount)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </div>
      {settled ? (
        <p className="notice" role="status">
          {t("disputes.resolved")} <Link to="/operator/payments">{t("payments")}</Link>
        </p>
      ) : contract.status === "DISPUTED" ? (
        <ResolveForm
          contractId={contract.id}
          escrow={contract.escrowBalance}
          onResolved={() => {
            setSettled(true);
            reexecute({ requestPolicy: "network-only" });
          }}
        />
      ) : (
        <p className="notice">{t("disputes.notDisputed", { status: label("ContractStatus", contract.status) })}</p>
      )}
    </section>
  );
}
