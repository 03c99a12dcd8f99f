// /contracts/:id — the contract room for both parties (and operators reading along): header, timeline, the
// steps the viewer may take, deadline, money, funding instructions, documents, messages and reviews. The room listens to
// contractUpdated: the other side's steps and messages show without reload.
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useQuery, useSubscription } from "urql";
import { graphql } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { Empty, LoadError, Loading } from "../ui/States";
import { ActionPanel, ContractActionsFragment } from "./ActionPanel";
import { ContractDeadlineFragment, Deadline } from "./Deadline";
import { ContractDocumentsFragment, Documents } from "./Documents";
import { ContractFundingFragment, FundingInstructions } from "./FundingInstructions";
import { Messages } from "./Messages";
import { ContractMoneyFragment, Money } from "./Money";
import { ContractReviewsFragment, Reviews } from "./Reviews";
import { ContractTimelineFragment, Timeline } from "./Timeline";

const ContractRoomQuery = graphql(
  `
    query ContractRoom($id: ID!) {
      contract(id: $id) {
        id
        status
        quantity
        viewerParty
        trackingReference
        createdAt
        total {
          amount
          currency
        }
        order {
          id
          title
        }
        buyer {
          id
          name
        }
        manufacturer {
          id
          name
        }
        ...ContractTimeline
        ...ContractActions
        ...ContractDeadline
        ...ContractMoney
        ...ContractFunding
        ...ContractReviews
        ...ContractDocuments
      }
    }
  `,
  [
    ContractTimelineFragment,
    ContractActionsFragment,
    ContractDeadlineFragment,
    ContractMoneyFragment,
    ContractFundingFragment,
    ContractReviewsFragment,
    ContractDocumentsFragment,
  ],
);

const ContractUpdatedSubscription = graphql(`
  subscription ContractRoomUpdated($contractId: ID!) {
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

export function ContractRoomPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation("contracts");
  const { label } = useLabels();
  const format = useFormat();
  const [result, reexecute] = useQuery({ query: ContractRoomQuery, variables: { id } });
  const [announcement, setAnnouncement] = useState("");
  const [messagesVersion, setMessagesVersion] = useState(0);
  const refresh = useCallback(() => reexecute({ requestPolicy: "network-only" }), [reexecute]);
  useSubscription({ query: ContractUpdatedSubscription, variables: { contractId: id } }, (_previous, event) => {
    const update = event.contractUpdated;
    if (update.__typename === "ContractUpdate") {
      if (update.transition === "message") {
        setMessagesVersion((version) => version + 1);
        setAnnouncement(t("room.newMessage"));
      } else {
        setAnnouncement(t("room.updated", { status: label("ContractStatus", update.contract.status) }));
        refresh();
      }
    }
    return event;
  });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={refresh} />;
  const contract = result.data?.contract;
  if (!contract) return <Empty>{t("room.notFound")}</Empty>;
  const party = contract.viewerParty;
  return (
    <article className="contract-room">
      <p className="breadcrumbs">
        <Link to="/contracts">{t("room.allContracts")}</Link>
      </p>
      <header className="page-header">
        <h1>{t("room.title", { title: contract.order?.title ?? "" })}</h1>
        <p>
          <strong className={`badge badge-status status-${contract.status.toLowerCase()}`} data-testid="contract-status">
            {label("ContractStatus", contract.status)}
          </strong>{" "}
          {party ? <span className="muted">{t("room.you", { party: label("ContractParty", party).toLowerCase() })}</span> : null}
        </p>
        <p className="muted">{t("room.live")}</p>
        <p className="live-announcement" role="status" aria-live="polite">
          {announcement}
        </p>
      </header>
      <div className="contract-layout">
        <div className="contract-main">
          <dl className="facts">
            <dt>{t("room.order")}</dt>
            <dd>{contract.order ? <Link to={`/orders/${contract.order.id}`}>{contract.order.title}</Link> : "—"}</dd>
            <dt>{t("room.buyer")}</dt>
            <dd>{contract.buyer.name}</dd>
            <dt>{t("room.manufacturer")}</dt>
            <dd>
              <Link to={`/suppliers/${contract.manufacturer.id}`}>{contract.manufacturer.name}</Link>
            </dd>
            <dt>{t("room.quantity")}</dt>
            <dd>{t("room.quantityValue", { count: contract.quantity })}</dd>
            <dt>{t("room.total")}</dt>
            <dd>{format.money(contract.total)}</dd>
            <dt>{t("room.created")}</dt>
            <dd>{format.date(contract.createdAt)}</dd>
            {contract.trackingReference ? (
              <>
                <dt>{t("room.tracking")}</dt>
                <dd data-testid="tracking-reference">{contract.trackingReference}</dd>
              </>
            ) : null}
          </dl>
          <Deadline data={contract} />
          <Timeline data={contract} />
        </div>
        <aside className="contract-side">
          <ActionPanel data={contract} onDone={refresh} onStale={refresh} />
          {party === "BUYER" || party === "OPERATOR" ? <FundingInstructions data={contract} /> : null}
        </aside>
      </div>
      <Money data={contract} />
      <Documents data={contract} onDone={refresh} />
      <Reviews data={contract} onDone={refresh} />
      <Messages contractId={contract.id} canWrite={party === "BUYER" || party === "MANUFACTURER"} version={messagesVersion} />
    </article>
  );
}
