// Stripe transfers and refunds the exchange could not make (the API's providerPaymentIssues): each with the
// provider's last answer, and the operator's two actions — retry now (the same idempotency key: never a second
// payment) or mark it resolved by hand with what was done. The API decides which payments are listed and which
// actions it accepts; a refused action is shown at its form and changes nothing.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { graphql, type ResultOf } from "../graphql";
import { useFormat } from "../i18n/format";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { PagedCards } from "../ui/PagedCards";
import { UserErrorFragment } from "../errors/userError";
import { ContractTitleFragment, contractTitle } from "./ContractLabel";

const IssuesQuery = graphql(
  `
    query ProviderPaymentIssues($first: Int!, $after: String) {
      providerPaymentIssues(first: $first, after: $after) {
        edges {
          node {
            id
            kind
            status
            amount {
              amount
              currency
            }
            attempts
            lastError
            idempotencyKey
            fundingReference
            destination
            createdAt
            nextAttemptAt
            contract {
              ...OperatorContractTitle
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `,
  [ContractTitleFragment],
);

const RetryMutation = graphql(
  `
    mutation RetryProviderPayment($id: ID!) {
      retryProviderPayment(id: $id) {
        __typename
        ... on ProviderPaymentSuccess {
          payment {
            id
            status
            attempts
            lastError
            providerReference
            nextAttemptAt
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

const ResolveMutation = graphql(
  `
    mutation ResolveProviderPayment($id: ID!, $reason: String!, $reference: String!) {
      resolveProviderPayment(id: $id, reason: $reason, reference: $reference) {
        __typename
        ... on ProviderPaymentSuccess {
          payment {
            id
            status
            providerReference
            resolutionNote
            resolvedAt
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

type Issue = NonNullable<ResultOf<typeof IssuesQuery>["providerPaymentIssues"]>["edges"][number]["node"];

export function ProviderPaymentsPage() {
  const { t } = useTranslation("operator");
  return (
    <section>
      <h1>{t("card.title")}</h1>
      <p className="muted">{t("card.lead")}</p>
      <PagedCards
        query={IssuesQuery}
        connection={(data) => data.providerPaymentIssues}
        label={t("card.title")}
        empty={t("card.empty")}
        card={(issue) => <IssueCard issue={issue} />}
      />
    </section>
  );
}

function IssueCard({ issue }: { issue: Issue }) {
  const { t } = useTranslation("operator");
  const format = useFormat();
  const [retrying, retry] = useMutation(RetryMutation);
  const [retryError, setRetryError] = useState<UserErrorLike | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // What the last action answered: the payment as it is now (made, resolved, or still failing).
  const [now, setNow] = useState<{ status: string; lastError: string; attempts: number }>({
    status: issue.status,
    lastError: issue.lastError,
    attempts: issue.attempts,
  });
  const kind = t(`card.kind.${issue.kind}`, { defaultValue: issue.kind });
  const amount = format.money(issue.amount);
  const settled = now.status === "made" || now.status === "resolved";

  async function onRetry() {
    setNotice(null);
    const response = await retry({ id: issue.id });
    const answer = response.data?.retryProviderPayment;
    const refusal = userErrorOf(answer);
    setRetryError(refusal ?? (response.error ? { message: response.error.message } : null));
    if (answer?.__typename === "ProviderPaymentSuccess") {
      const payment = answer.payment;
      setNow({ status: payment.status, lastError: payment.lastError, attempts: payment.attempts });
      setNotice(
        payment.status === "made"
          ? t("card.retried", { reference: payment.providerReference })
          : t("card.retryFailed", { error: payment.lastError }),
      );
    }
  }

  return (
    <article className="card instruction" aria-labelledby={`pp-${issue.id}`} data-testid="provider-payment">
      <h2 className="card-title" id={`pp-${issue.id}`}>
        {kind}: {amount}{" "}
        <span className="badge" data-testid="provider-payment-status">
          {t(`card.status.${now.status}`, { defaultValue: now.status })}
        </span>
      </h2>
      <p className="muted">
        {t("card.forContract", { title: contractTitle(issue.contract) })} ·{" "}
        {t("card.created", { date: format.dateTime(issue.createdAt) })}
      </p>
      <dl className="facts">
        {now.lastError ? (
          <>
            <dt>{t("card.lastError")}</dt>
            <dd>
              <code data-testid="provider-payment-error">{now.lastError}</code>
            </dd>
          </>
        ) : null}
        <dt>{t("card.attempts")}</dt>
        <dd>{now.attempts}</dd>
        {issue.nextAttemptAt && now.status === "pending" ? (
          <>
            <dt>{t("card.nextAttempt")}</dt>
            <dd>{format.dateTime(issue.nextAttemptAt)}</dd>
          </>
        ) : null}
        {issue.destination ? (
          <>
            <dt>{t("card.destination")}</dt>
            <dd>
              <code>{issue.destination}</code>
            </dd>
          </>
        ) : null}
        {issue.fundingReference ? (
          <>
            <dt>{t("card.funding")}</dt>
            <dd>
              <code>{issue.fundingReference}</code>
            </dd>
          </>
        ) : null}
        <dt>{t("card.key")}</dt>
        <dd>
          <code>{issue.idempotencyKey}</code>
        </dd>
      </dl>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorSummary form={`retry-${issue.id}`} error={retryError} />
      {settled ? null : (
        <>
          <button
            type="button"
            className="primary"
            disabled={retrying.fetching}
            aria-label={t("card.retryLabel", { kind, amount })}
            onClick={() => void onRetry()}
          >
            {t("card.retry")}
          </button>
          <ResolveForm
            id={issue.id}
            onResolved={(status) => {
              setNow({ ...now, status });
              setNotice(t("card.resolved"));
            }}
          />
        </>
      )}
    </article>
  );
}

function ResolveForm({ id, onResolved }: { id: string; onResolved: (status: string) => void }) {
  const { t } = useTranslation("operator");
  const [values, setValues] = useState({ reason: "", reference: "" });
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [state, resolve] = useMutation(ResolveMutation);
  const form = `resolve-${id}`;

  async function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const response = await resolve({ id, reason: values.reason, reference: values.reference });
    const answer = response.data?.resolveProviderPayment;
    const refusal = userErrorOf(answer);
    setError(refusal ?? (response.error ? { message: response.error.message } : null));
    if (answer?.__typename === "ProviderPaymentSuccess") onResolved(answer.payment.status);
  }

  return (
    <details className="resolve">
      <summary>{t("card.resolveTitle")}</summary>
      <form onSubmit={onSubmit} noValidate>
        <ErrorSummary form={form} error={error} />
        <Field form={form} name="reason" label={t("card.reason")} hint={t("card.reasonHint")} error={error}>
          {(props) => (
            <textarea
              {...props}
              rows={2}
              value={values.reason}
              onChange={(e) => setValues({ ...values, reason: e.target.value })}
            />
          )}
        </Field>
        <Field form={form} name="reference" label={t("card.reference")} error={error} optional>
          {(props) => (
            <input {...props} value={values.reference} onChange={(e) => setValues({ ...values, reference: e.target.value })} />
          )}
        </Field>
        <button type="submit" disabled={state.fetching}>
          {t("card.resolve")}
        </button>
      </form>
    </details>
  );
}
