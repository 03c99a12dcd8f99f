// The manufacturer's side of an order page: its own bids (sealed: the API returns only them), the form to
// place or revise one, withdrawal, and won/lost with the feedback. What it may do comes from the API.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { graphql, readFragment, type FragmentOf, type ResultOf } from "../graphql";
import { UserErrorFragment } from "../errors/userError";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { ErrorSummary, userErrorOf, type UserErrorLike } from "../ui/forms";
import { BidBreakdown, BidBreakdownFragment, BidFeedbackFragment, BidFeedbackView } from "./BidBreakdown";
import { BidForm, BidFormBidFragment, BidFormOrderFragment } from "./BidForm";
import { BidOutcome, BidOutcomeFragment } from "./BidOutcome";
import { VatTermsNote } from "../taxes/VatTermsNote";

export const MyBidPanelFragment = graphql(
  `
    fragment MyBidPanel on Order {
      id
      viewerCanBid
      ...BidFormOrder
      bids(first: 20) {
        edges {
          node {
            id
            status
            revision
            createdAt
            viewerCanRevise
            viewerCanWithdraw
            platformFee {
              amount
              currency
            }
            manufacturerNet {
              amount
              currency
            }
            ...BidBreakdown
            ...BidFormBid
            ...BidFeedbackView
            ...BidOutcome
          }
        }
      }
    }
  `,
  [BidFormOrderFragment, BidBreakdownFragment, BidFormBidFragment, BidFeedbackFragment, BidOutcomeFragment],
);

const WithdrawMutation = graphql(
  `
  mutation WithdrawBid($bidId: ID!) {
    withdrawBid(bidId: $bidId) {
      __typename
      ... on BidSuccess {
        bid {
          id
          status
          viewerCanRevise
          viewerCanWithdraw
        }
      }
      ...UserErrorFields
    }
  }
`,
  [UserErrorFragment],
);

export function MyBidPanel({
  data,
  highlightBidId,
  onChanged,
}: {
  data: FragmentOf<typeof MyBidPanelFragment>;
  highlightBidId: string | null;
  onChanged: () => void;
}) {
  const { t } = useTranslation("bids");
  const order = readFragment(MyBidPanelFragment, data);
  const bids = [...order.bids.edges.map((edge) => edge.node)].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const [revising, setRevising] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section aria-labelledby="my-bid-title" className="my-bid">
      <h2 id="my-bid-title">{t("bid.yours")}</h2>
      {notice ? (
        <p className="success" role="status">
          {notice}
        </p>
      ) : null}
      {bids.map((bid) => (
        <OwnBid
          key={bid.id}
          bid={bid}
          highlighted={bid.id === highlightBidId}
          revising={revising === bid.id}
          onRevise={() => {
            setNotice(null);
            setRevising(bid.id);
          }}
          onWithdrawn={() => {
            setNotice(t("bid.withdrawn"));
            onChanged();
          }}
        >
          {revising === bid.id ? <VatTermsNote /> : null}
          {revising === bid.id ? (
            <BidForm
              order={order}
              bid={bid}
              onCancel={() => setRevising(null)}
              onSaved={() => {
                setRevising(null);
                setNotice(t("form.revised"));
                onChanged();
              }}
            />
          ) : null}
        </OwnBid>
      ))}
      {order.viewerCanBid ? <VatTermsNote /> : null}
      {order.viewerCanBid ? (
        <BidForm
          order={order}
          onSaved={() => {
            setNotice(t("form.placed"));
            onChanged();
          }}
        />
      ) : null}
    </section>
  );
}

type OwnBidData = ResultOf<typeof MyBidPanelFragment>["bids"]["edges"][number]["node"];

function OwnBid({
  bid,
  highlighted,
  revising,
  onRevise,
  onWithdrawn,
  children,
}: {
  bid: OwnBidData;
  highlighted: boolean;
  revising: boolean;
  onRevise: () => void;
  onWithdrawn: () => void;
  children?: React.ReactNode;
}) {
  const { t } = useTranslation("bids");
  const format = useFormat();
  const { label } = useLabels();
  const ref = useRef<HTMLElement>(null);
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [{ fetching }, withdraw] = useMutation(WithdrawMutation);
  useEffect(() => {
    if (highlighted) ref.current?.scrollIntoView({ block: "center" });
  }, [highlighted]);
  const active = bid.viewerCanRevise || bid.viewerCanWithdraw;
  return (
    <article
      ref={ref}
      id={`bid-${bid.id}`}
      className={`card bid-card${highlighted ? " bid-highlighted" : ""}${active ? "" : " bid-past"}`}
      aria-label={`${t("bid.yours")}, ${t("bid.revision", { revision: bid.revision })}`}
    >
      <p>
        <span className="badge">{label("BidStatus", bid.status)}</span>{" "}
        <span className="muted">
          {t("bid.revision", { revision: bid.revision })} · {format.dateTime(bid.createdAt)}
        </span>
      </p>
      <BidOutcome data={bid} />
      <BidBreakdown data={bid}>
        {active ? (
          <>
            <dt>{t("bid.fee")}</dt>
            <dd>{format.money(bid.platformFee)}</dd>
            <dt>{t("bid.net")}</dt>
            <dd>{format.money(bid.manufacturerNet)}</dd>
          </>
        ) : null}
      </BidBreakdown>
      <BidFeedbackView data={bid} />
      <ErrorSummary form={`withdraw-${bid.revision}`} error={error} />
      {!revising && active ? (
        <p className="actions">
          {bid.viewerCanRevise ? (
            <button type="button" onClick={onRevise}>
              {t("bid.revise")}
            </button>
          ) : null}
          {bid.viewerCanWithdraw ? (
            <button
              type="button"
              className="danger"
              disabled={fetching}
              onClick={async () => {
                if (!window.confirm(t("bid.withdrawConfirm"))) return;
                const result = await withdraw({ bidId: bid.id });
                const refusal = userErrorOf(result.data?.withdrawBid);
                setError(refusal);
                if (!refusal && result.data) onWithdrawn();
              }}
            >
              {t("bid.withdraw")}
            </button>
          ) : null}
        </p>
      ) : null}
      {children}
    </article>
  );
}
