// The buyer's side of an order page: bids arriving live (bidActivity), ranked with their explanations, and
// the award — whole, or a quantity on a split order — with a reason for the others. Which bid may be awarded
// comes from the API (viewerCanAward).
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, useQuery, useSubscription } from "urql";
import { graphql } from "../graphql";
import { enumValues, type EnumOf } from "../i18n/enums";
import { useLabels } from "../i18n/labels";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { NumberInput } from "../ui/NumberInput";
import { Empty, LoadError, Loading } from "../ui/States";
import { BidBreakdown, BidBreakdownFragment } from "./BidBreakdown";
import { FactorBars, FactorBarsFragment, scoreOutOf100 } from "./FactorBars";
import { UserErrorFragment } from "../errors/userError";

const BuyerBidsQuery = graphql(
  `
    query BuyerBids($id: ID!) {
      order(id: $id) {
        id
        status
        quantity
        awardedQuantity
        allowSplit
        rankedBids {
          score
          explanations {
            ...FactorBars
          }
          bid {
            id
            viewerCanAward
            manufacturer {
              id
              name
            }
            ...BidBreakdown
          }
        }
        bids(first: 100) {
          edges {
            node {
              id
              status
              manufacturer {
                id
                name
              }
              contract {
                id
              }
              ...BidBreakdown
            }
          }
        }
      }
    }
  `,
  [FactorBarsFragment, BidBreakdownFragment],
);

const BidActivitySubscription = graphql(
  `
    subscription BidActivity($orderId: ID!) {
      bidActivity(orderId: $orderId) {
        __typename
        ... on BidActivity {
          kind
          bid {
            id
            status
            manufacturer {
              id
              name
            }
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

const AwardMutation = graphql(
  `
    mutation AwardBid($bidId: ID!, $quantity: Int, $lostBidReason: LostReason) {
      awardBid(bidId: $bidId, quantity: $quantity, lostBidReason: $lostBidReason) {
        __typename
        ... on AwardBidSuccess {
          contract {
            id
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export function BuyerBids({ orderId, onAwarded }: { orderId: string; onAwarded: () => void }) {
  const { t } = useTranslation("bids");
  const { label } = useLabels();
  const [result, reexecute] = useQuery({ query: BuyerBidsQuery, variables: { id: orderId } });
  const [announcement, setAnnouncement] = useState("");
  const [contractId, setContractId] = useState<string | null>(null);
  const refresh = useCallback(() => reexecute({ requestPolicy: "network-only" }), [reexecute]);
  useSubscription({ query: BidActivitySubscription, variables: { orderId } }, (_previous, event) => {
    const activity = event.bidActivity;
    if (activity.__typename === "BidActivity") {
      setAnnouncement(
        t("ranked.arrived", { kind: label("BidActivityKind", activity.kind), name: activity.bid.manufacturer.name }),
      );
      refresh();
    }
    return event;
  });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={refresh} />;
  const order = result.data?.order;
  if (!order) return null;
  const ranked = order.rankedBids ?? [];
  const rankedIds = new Set(ranked.map((item) => item.bid.id));
  const others = order.bids.edges.map((edge) => edge.node).filter((bid) => !rankedIds.has(bid.id));
  return (
    <section aria-labelledby="ranked-title" className="ranked">
      <h2 id="ranked-title">{t("ranked.title")}</h2>
      <p className="muted">{t("ranked.live")}</p>
      <p className="live-announcement" role="status" aria-live="polite">
        {announcement}
      </p>
      {contractId ? (
        <p className="success" role="status">
          {t("ranked.awarded")} <Link to={`/contracts/${contractId}`}>{t("ranked.contract")}</Link>
        </p>
      ) : null}
      {ranked.length === 0 && others.length === 0 ? <Empty>{t("ranked.none")}</Empty> : null}
      <ol className="cards ranked-list" aria-label={t("ranked.title")}>
        {ranked.map((item, index) => (
          <li key={item.bid.id}>
            <article className="card" aria-labelledby={`ranked-${index}`}>
              <h3 id={`ranked-${index}`}>
                <span className="rank">{t("ranked.rank", { rank: index + 1 })}</span> {item.bid.manufacturer.name}{" "}
                <span className="badge">
                  {t("ranked.score", { score: scoreOutOf100(item.score) })}
                </span>
              </h3>
              <BidBreakdown data={item.bid} />
              <details className="why" open={index === 0}>
                <summary>{t("ranked.explanation")}</summary>
                <FactorBars
                  explanations={item.explanations}
                  label={`${t("ranked.explanation")}: ${item.bid.manufacturer.name}`}
                />
              </details>
              {item.bid.viewerCanAward ? (
                <AwardForm
                  bidId={item.bid.id}
                  manufacturer={item.bid.manufacturer.name}
                  allowSplit={order.allowSplit}
                  left={order.quantity - order.awardedQuantity}
                  quantity={order.quantity}
                  onAwarded={(id) => {
                    setContractId(id);
                    refresh();
                    onAwarded();
                  }}
                />
              ) : null}
            </article>
          </li>
        ))}
      </ol>
      {others.length ? (
        <>
          {ranked.length ? <h3>{t("ranked.others")}</h3> : null}
          <ul className="cards">
            {others.map((bid) => (
              <li key={bid.id}>
                <article className="card">
                  <h3 className="card-title">
                    {bid.manufacturer.name} <span className="badge">{label("BidStatus", bid.status)}</span>
                  </h3>
                  <BidBreakdown data={bid} />
                  {bid.contract ? <Link to={`/contracts/${bid.contract.id}`}>{t("ranked.contract")}</Link> : null}
                </article>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function AwardForm({
  bidId,
  manufacturer,
  allowSplit,
  left,
  quantity,
  onAwarded,
}: {
  bidId: string;
  manufacturer: string;
  allowSplit: boolean;
  left: number;
  quantity: number;
  onAwarded: (contractId: string) => void;
}) {
  const { t } = useTranslation("bids");
  const { label } = useLabels();
  const [open, setOpen] = useState(false);
  const [part, setPart] = useState("");
  const [reason, setReason] = useState<EnumOf<"LostReason"> | "">("");
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [{ fetching }, award] = useMutation(AwardMutation);
  const form = `award-${bidId.replace(/[^a-zA-Z0-9]/g, "")}`;
  if (!open) {
    return (
      <p className="actions">
        <button
          type="button"
          className="primary"
          aria-label={`${t("ranked.award")}: ${manufacturer}`}
          onClick={() => setOpen(true)}
        >
          {t("ranked.award")}
        </button>
      </p>
    );
  }
  return (
    <form
      className="award-form"
      noValidate
      aria-label={`${t("ranked.awardTitle")}: ${manufacturer}`}
      onSubmit={async (event) => {
        event.preventDefault();
        const result = await award({
          bidId,
          quantity: allowSplit && part.trim() ? Number.parseInt(part, 10) || 0 : null,
          lostBidReason: reason || null,
        });
        const payload = result.data?.awardBid;
        const refusal = userErrorOf(payload);
        setError(refusal ?? (result.error ? { message: result.error.message } : null));
        if (payload?.__typename === "AwardBidSuccess") onAwarded(payload.contract.id);
      }}
    >
      <ErrorSummary form={form} error={error} />
      {allowSplit ? (
        <Field
          form={form}
          name="quantity"
          label={t("ranked.awardQuantity")}
          hint={t("ranked.awardQuantityHint", { left, count: quantity })}
          error={error}
          optional
        >
          {(props) => <NumberInput {...props} className="input-short" value={part} onChange={setPart} />}
        </Field>
      ) : null}
      <Field
        form={form}
        name="lostBidReason"
        label={t("ranked.lostReason")}
        hint={t("ranked.lostReasonHint")}
        error={error}
        optional
      >
        {(props) => (
          <select {...props} value={reason} onChange={(e) => setReason(e.target.value as EnumOf<"LostReason"> | "")}>
            <option value="">{t("ranked.noReason")}</option>
            {enumValues("LostReason").map((value) => (
              <option key={value} value={value}>
                {label("LostReason", value)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <p className="actions">
        <button type="submit" className="primary" disabled={fetching}>
          {t("ranked.confirm")}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t("form.cancel")}
        </button>
      </p>
    </form>
  );
}
