// The card form: the Card Element of Stripe.js (loaded from the address the API gives), confirmed with the
// client secret of the contract's PaymentIntent from fundContract. The API says whether this person may pay
// by card (`fundingInstructions.card`); fundContract refuses anyone else and hands out the same intent again
// on a reload, so opening this page twice never opens a second charge.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useFormat } from "../i18n/format";
import { ErrorSummary, userErrorOf, type UserErrorLike } from "../ui/forms";
import { loadStripeJs, refusalOf, type StripeCardElement, type StripeInstance } from "./stripeJs";
import { UserErrorFragment } from "../errors/userError";

export const CardPaymentFormFragment = graphql(
  `
    fragment CardPaymentForm on FundingInstructions {
      amountDue {
        amount
        currency
      }
      card {
        publishableKey
        jsUrl
      }
    }
  `);

const FundContractMutation = graphql(
  `
    mutation FundContractByCard($contractId: ID!) {
      fundContract(contractId: $contractId) {
        __typename
        ... on FundContractSuccess {
          clientSecret
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

type Phase = "ready" | "paying";

export function CardPaymentForm({
  contractId,
  data,
  onPaid,
}: {
  contractId: string;
  data: FragmentOf<typeof CardPaymentFormFragment>;
  onPaid: () => void;
}) {
  const { t, i18n } = useTranslation("payments");
  const format = useFormat();
  const instructions = readFragment(CardPaymentFormFragment, data);
  const card = instructions.card;
  const [, fund] = useMutation(FundContractMutation);
  const [secret, setSecret] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<UserErrorLike | null>(null);
  const [stripe, setStripe] = useState<StripeInstance | null>(null);
  const [stripeFailed, setStripeFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [phase, setPhase] = useState<Phase>("ready");
  const [declined, setDeclined] = useState<string | null>(null);
  const mountRef = useRef<HTMLDivElement>(null);
  const elementRef = useRef<StripeCardElement | null>(null);
  const language = i18n.language;

  // The PaymentIntent's client secret: the same intent however often this runs (the API sees to that).
  useEffect(() => {
    let live = true;
    void fund({ contractId }).then((result) => {
      if (!live) return;
      const payload = result.data?.fundContract;
      if (payload?.__typename === "FundContractSuccess" && payload.clientSecret) setSecret(payload.clientSecret);
      else setRefusal(userErrorOf(payload) ?? { message: result.error?.message ?? t("common:state.error") });
    });
    return () => {
      live = false;
    };
  }, [contractId, fund, t]);

  const jsUrl = card?.jsUrl;
  const publishableKey = card?.publishableKey;
  useEffect(() => {
    if (!jsUrl || !publishableKey) return;
    let live = true;
    setStripeFailed(false);
    loadStripeJs(jsUrl).then(
      (Stripe) => live && setStripe(Stripe(publishableKey, { locale: language })),
      () => live && setStripeFailed(true),
    );
    return () => {
      live = false;
    };
  }, [jsUrl, publishableKey, language, attempt]);

  useEffect(() => {
    if (!stripe || !mountRef.current) return;
    const element = stripe.elements({ locale: language }).create("card", { hidePostalCode: true });
    element.mount(mountRef.current);
    elementRef.current = element;
    return () => {
      elementRef.current = null;
      element.destroy();
    };
  }, [stripe, language]);

  if (!card) return null;

  async function pay(event: React.FormEvent) {
    event.preventDefault();
    if (!stripe || !secret || !elementRef.current || phase === "paying") return;
    setPhase("paying");
    setDeclined(null);
    const result = await stripe.confirmCardPayment(secret, { payment_method: { card: elementRef.current } });
    const reason = refusalOf(result);
    setPhase("ready");
    if (reason === null) onPaid();
    else setDeclined(reason);
  }

  const amount = format.money(instructions.amountDue);
  const preparing = !secret && !refusal;
  return (
    <form className="card-payment" onSubmit={pay} aria-busy={phase === "paying"} noValidate>
      <ErrorSummary form="card-payment" error={refusal} />
      {declined !== null ? (
        <div className="error-summary" role="alert">
          <h2>{t("pay.declinedTitle")}</h2>
          <p>{declined ? t("pay.declined", { reason: declined }) : t("pay.declinedNoReason")}</p>
          <p>{t("pay.tryAgain")}</p>
        </div>
      ) : null}
      <fieldset className="card-fieldset" disabled={phase === "paying" || refusal !== null}>
        <legend>{t("pay.card")}</legend>
        <p className="hint">{t("pay.cardHint")}</p>
        {stripeFailed ? (
          <div className="state state-error" role="alert">
            <p>{t("pay.stripeFailed")}</p>
            <button type="button" onClick={() => setAttempt((n) => n + 1)}>
              {t("pay.retry")}
            </button>
          </div>
        ) : !stripe ? (
          <p className="state state-loading" role="status">
            {t("pay.loadingStripe")}
          </p>
        ) : null}
        <div className="card-element" id="card-element" ref={mountRef} />
      </fieldset>
      {preparing ? (
        <p className="state state-loading" role="status">
          {t("pay.preparing")}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={!stripe || !secret || phase === "paying"}>
          {t("pay.submit", { amount })}
        </button>
        {phase === "paying" ? (
          <span role="status" aria-live="polite">
            {t("pay.paying")}
          </span>
        ) : null}
      </div>
    </form>
  );
}
