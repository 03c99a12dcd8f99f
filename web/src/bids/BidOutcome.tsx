// Won or lost: an accepted bid links to its contract; a rejected one that lost the award says so.
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { graphql, readFragment, type FragmentOf } from "../graphql";

export const BidOutcomeFragment = graphql(`
  fragment BidOutcome on Bid {
    id
    status
    contract {
      id
    }
    feedback {
      rankBand
    }
  }
`);

export function BidOutcome({ data }: { data: FragmentOf<typeof BidOutcomeFragment> }) {
  const { t } = useTranslation("bids");
  const bid = readFragment(BidOutcomeFragment, data);
  if (bid.status === "ACCEPTED") {
    return (
      <p className="success outcome">
        <strong className="badge badge-ok">{t("bid.won")}</strong> {t("bid.wonNote")}{" "}
        {bid.contract ? <Link to={`/contracts/${bid.contract.id}`}>{t("bid.contract")}</Link> : null}
      </p>
    );
  }
  if (bid.feedback) {
    return (
      <p className="outcome">
        <strong className="badge badge-danger">{t("bid.lost")}</strong>
      </p>
    );
  }
  return null;
}
