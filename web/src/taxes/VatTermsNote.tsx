// Beside the bid form: whether the bidder's prices are entered with VAT, and at which rate, as the API says
// from its organisation's declared tax status (Organisation.vatTerms).
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { graphql } from "../graphql";
import { useFormat } from "../i18n/format";

const BidderVatTermsQuery = graphql(`
  query BidderVatTerms {
    me {
      id
      memberships {
        organisation {
          id
          kind
          vatTerms {
            treatment
            rate
          }
        }
      }
    }
  }
`);

export function VatTermsNote() {
  const { t } = useTranslation("taxes");
  const format = useFormat();
  const [result] = useQuery({ query: BidderVatTermsQuery });
  const bidder = result.data?.me?.memberships
    .map((membership) => membership.organisation)
    .find((organisation) => organisation.kind !== "BUYER");
  if (!bidder) return null;
  const { treatment, rate } = bidder.vatTerms;
  const text =
    rate !== null
      ? t("terms.vat", { rate: format.number(Number(rate)) })
      : treatment === "NOT_STATED"
        ? t("terms.notStated")
        : t("terms.noVat");
  return (
    <p className="hint vat-terms" data-testid="vat-terms">
      {text}
    </p>
  );
}
