// Place or revise a bid. Prices are sent as typed (a decimal string); the API checks them and works out the
// total, which the page shows once the bid is saved; while typing, the API's split of that total into net, VAT and
// gross is shown (BidPriceSplit). A refusal leaves the form as it was, the error at its field.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { graphql, readFragment, type FragmentOf, type VariablesOf } from "../graphql";
import { UserErrorFragment } from "../errors/userError";
import { useFormat } from "../i18n/format";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { NumberInput } from "../ui/NumberInput";
import { currencySign } from "../ui/numberText";
import { BidPriceSplit } from "./BidPriceSplit";

export const BidFormOrderFragment = graphql(`
  fragment BidFormOrder on Order {
    id
    quantity
    allowSplit
    biddingDeadline
    budget {
      min {
        currency
      }
    }
  }
`);

export const BidFormBidFragment = graphql(`
  fragment BidFormBid on Bid {
    id
    quantity
    leadTimeDays
    validUntil
    notes
    unitPrice {
      amount
    }
    tooling {
      amount
    }
  }
`);

const PlaceBidMutation = graphql(
  `
  mutation PlaceBid($input: PlaceBidInput!) {
    placeBid(input: $input) {
      __typename
      ... on BidSuccess {
        bid {
          id
        }
      }
      ...UserErrorFields
    }
  }
`,
  [UserErrorFragment],
);

const ReviseBidMutation = graphql(
  `
  mutation ReviseBid($bidId: ID!, $terms: BidTermsInput!) {
    reviseBid(bidId: $bidId, terms: $terms) {
      __typename
      ... on BidSuccess {
        bid {
          id
        }
      }
      ...UserErrorFields
    }
  }
`,
  [UserErrorFragment],
);

type Terms = VariablesOf<typeof ReviseBidMutation>["terms"];

interface Values {
  unitPrice: string;
  quantity: string;
  tooling: string;
  leadTimeDays: string;
  validUntil: string;
  notes: string;
}

/** "1 250,50" as typed in Russian becomes the API's "1250.50"; anything else goes to the API as it is. */
export function decimalOf(typed: string): string {
  return typed.replace(/[\s\u00a0]/g, "").replace(",", ".");
}

function daysAfter(iso: string, days: number): string {
  const date = new Date(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function BidForm({
  order: orderData,
  bid: bidData,
  onSaved,
  onCancel,
}: {
  order: FragmentOf<typeof BidFormOrderFragment>;
  bid?: FragmentOf<typeof BidFormBidFragment> | null;
  onSaved: (bidId: string) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation("bids");
  const format = useFormat();
  const order = readFragment(BidFormOrderFragment, orderData);
  const bid = bidData ? readFragment(BidFormBidFragment, bidData) : null;
  const currency = order.budget.min.currency;
  const [values, setValues] = useState<Values>(() => ({
    unitPrice: bid?.unitPrice.amount ?? "",
    quantity: String(bid?.quantity ?? order.quantity),
    tooling: bid && bid.tooling.amount !== "0" && bid.tooling.amount !== "0.00" ? bid.tooling.amount : "",
    leadTimeDays: bid ? String(bid.leadTimeDays) : "",
    validUntil: bid?.validUntil ?? daysAfter(order.biddingDeadline, 30),
    notes: bid?.notes ?? "",
  }));
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [placeState, place] = useMutation(PlaceBidMutation);
  const [reviseState, revise] = useMutation(ReviseBidMutation);
  const fetching = placeState.fetching || reviseState.fetching;
  const set = (name: keyof Values) => (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    setValues((current) => ({ ...current, [name]: event.target.value }));
  // Money and counts come from NumberInput as plain decimals ("1500000.5").
  const setNumber = (name: keyof Values) => (value: string) => setValues((current) => ({ ...current, [name]: value }));
  const sign = currencySign(currency, format.language);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const terms: Terms = {
      unitPrice: { amount: decimalOf(values.unitPrice), currency },
      tooling: values.tooling.trim() ? { amount: decimalOf(values.tooling), currency } : null,
      leadTimeDays: Number.parseInt(values.leadTimeDays, 10) || 0,
      validUntil: values.validUntil,
      notes: values.notes,
      quantity: order.allowSplit ? Number.parseInt(values.quantity, 10) || 0 : null,
    };
    if (bid) {
      const result = await revise({ bidId: bid.id, terms });
      const payload = result.data?.reviseBid;
      const refusal = userErrorOf(payload);
      setError(refusal ?? (result.error ? { message: result.error.message } : null));
      if (payload?.__typename === "BidSuccess") onSaved(payload.bid.id);
    } else {
      const result = await place({ input: { orderId: order.id, terms } });
      const payload = result.data?.placeBid;
      const refusal = userErrorOf(payload);
      setError(refusal ?? (result.error ? { message: result.error.message } : null));
      if (payload?.__typename === "BidSuccess") onSaved(payload.bid.id);
    }
  }

  const form = "bid";
  return (
    <form className="bid-form" noValidate onSubmit={submit} aria-labelledby="bid-form-title">
      <h3 id="bid-form-title">{bid ? t("form.reviseTitle") : t("form.placeTitle")}</h3>
      <ErrorSummary form={form} error={error} />
      <Field
        form={form}
        name="unitPrice.amount"
        aliases={["unitPrice", "unitPrice.currency"]}
        label={t("form.unitPrice", { currency: sign })}
        error={error}
      >
        {(props) => (
          <NumberInput {...props} fractionDigits={2} unit={sign} value={values.unitPrice} onChange={setNumber("unitPrice")} />
        )}
      </Field>
      {order.allowSplit ? (
        <Field
          form={form}
          name="quantity"
          label={t("form.quantity")}
          hint={t("form.quantityHint", { count: order.quantity })}
          error={error}
        >
          {(props) => <NumberInput {...props} value={values.quantity} onChange={setNumber("quantity")} />}
        </Field>
      ) : null}
      <Field
        form={form}
        name="tooling.amount"
        aliases={["tooling", "tooling.currency"]}
        label={t("form.tooling", { currency: sign })}
        hint={t("form.toolingHint")}
        error={error}
        optional
      >
        {(props) => (
          <NumberInput {...props} fractionDigits={2} unit={sign} value={values.tooling} onChange={setNumber("tooling")} />
        )}
      </Field>
      <Field form={form} name="leadTimeDays" label={t("form.leadTimeDays")} error={error}>
        {(props) => (
          <NumberInput {...props} className="input-short" value={values.leadTimeDays} onChange={setNumber("leadTimeDays")} />
        )}
      </Field>
      <Field
        form={form}
        name="validUntil"
        label={t("form.validUntil")}
        hint={t("form.validUntilHint", { date: format.date(order.biddingDeadline) })}
        error={error}
      >
        {(props) => <input {...props} type="date" value={values.validUntil} onChange={set("validUntil")} />}
      </Field>
      <Field form={form} name="notes" label={t("form.notes")} error={error} optional>
        {(props) => <textarea {...props} rows={3} value={values.notes} onChange={set("notes")} />}
      </Field>
      <div className="bid-preview" aria-live="polite">
        <p>
          <strong>{t("form.summary")}:</strong>{" "}
          {t("form.summaryLine", {
            unitPrice: values.unitPrice ? format.money({ amount: values.unitPrice, currency }) : "—",
            quantity: order.allowSplit
              ? values.quantity
                ? format.number(Number(values.quantity))
                : "—"
              : format.number(order.quantity),
            tooling: values.tooling ? format.money({ amount: values.tooling, currency }) : "0",
          })}
        </p>
        <p className="muted">{t("form.summaryNote")}</p>
        <BidPriceSplit
          unitPrice={decimalOf(values.unitPrice)}
          quantity={order.allowSplit ? Number.parseInt(values.quantity, 10) || 0 : order.quantity}
          tooling={decimalOf(values.tooling)}
          currency={currency}
        />
      </div>
      <p className="actions">
        <button type="submit" className="primary" disabled={fetching}>
          {fetching ? t("form.working") : bid ? t("form.revise") : t("form.place")}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            {t("form.cancel")}
          </button>
        ) : null}
      </p>
    </form>
  );
}
