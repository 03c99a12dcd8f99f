// Bank transfers: find a contract by the payment reference a wire quotes, record what arrived (part payments
// add up toward the amount due), and execute the payouts and refunds owed by bank transfer.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { decimalOf } from "../bids/BidForm";
import { graphql, readFragment } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { NumberInput } from "../ui/NumberInput";
import { currencySign } from "../ui/numberText";
import { LoadMore } from "../ui/LoadMore";
import { Empty, LoadError, Loading } from "../ui/States";
import { ContractPartiesFragment, ContractTitleFragment, contractTitle, partiesTitle } from "./ContractLabel";
import { FundingProgress } from "./FundingProgress";
import { UserErrorFragment } from "../errors/userError";
import { Money } from "../ui/Money";

import { LegalId, LegalIdFragment } from "../ui/LegalId";
const FundingQuery = graphql(
  `
    query ContractFunding($reference: String!) {
      contractByPaymentReference(paymentReference: $reference) {
        contract {
          id
          status
          total {
            amount
            currency
          }
          ...OperatorContractParties
          buyer {
            id
            ...LegalId
          }
          fundingInstructions {
            paymentReference
          }
        }
        amountDue {
          amount
          currency
        }
        received {
          amount
          currency
        }
        remaining {
          amount
          currency
        }
        transfers {
          bankTransactionId
          amount {
            amount
            currency
          }
          receivedOn
          recordedAt
        }
      }
    }
  `,
  [ContractPartiesFragment, LegalIdFragment],
);

const RecordMutation = graphql(
  `
    mutation RecordIncomingWire($reference: String!, $txn: String!, $amount: MoneyInput!, $on: Date!) {
      recordBankTransfer(paymentReference: $reference, bankTransactionId: $txn, amount: $amount, receivedOn: $on) {
        __typename
        ... on ContractSuccess {
          contract {
            id
            status
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

const InstructionsQuery = graphql(
  `
    query OperatorPaymentInstructions($status: PaymentInstructionStatus!, $first: Int!, $after: String) {
      paymentInstructions(status: $status, first: $first, after: $after) {
        edges {
          node {
            instruction {
              id
              kind
              amount {
                amount
                currency
              }
              status
              createdAt
              confirmedAt
              bankReference
            }
            beneficiary {
              id
              name
              ...LegalId
              region
            }
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
  [ContractTitleFragment, LegalIdFragment],
);

const ConfirmMutation = graphql(
  `
    mutation ConfirmInstruction($id: ID!, $bankReference: String!) {
      confirmPaymentInstruction(id: $id, bankReference: $bankReference) {
        __typename
        ... on PaymentInstructionSuccess {
          paymentInstruction {
            id
            status
            confirmedAt
            bankReference
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export function PaymentsPage() {
  const { t } = useTranslation("operator");
  const [params, setParams] = useSearchParams();
  const reference = params.get("ref") ?? "";
  const [typed, setTyped] = useState(reference);
  const [version, setVersion] = useState(0);
  return (
    <section>
      <h1>{t("pay.title")}</h1>
      <form
        className="search-form"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setParams(typed.trim() ? { ref: typed.trim() } : {});
        }}
      >
        <h2>{t("pay.find")}</h2>
        <Field form="find" name="reference" label={t("pay.reference")} hint={t("pay.referenceHint")}>
          {(props) => <input {...props} type="search" value={typed} onChange={(e) => setTyped(e.target.value)} />}
        </Field>
        <button type="submit" className="primary">
          {t("pay.search")}
        </button>
      </form>
      {reference ? (
        <ContractFundingPanel key={reference} reference={reference} onRecorded={() => setVersion((v) => v + 1)} />
      ) : null}
      <h2>{t("pay.instructions")}</h2>
      <p className="muted">{t("pay.instructionsLead")}</p>
      <Instructions key={`pending:${version}`} status="PENDING" onConfirmed={() => setVersion((v) => v + 1)} />
      <h2>{t("pay.confirmedTitle")}</h2>
      <Instructions key={`confirmed:${version}`} status="CONFIRMED" onConfirmed={() => setVersion((v) => v + 1)} />
    </section>
  );
}

function ContractFundingPanel({ reference, onRecorded }: { reference: string; onRecorded: () => void }) {
  const { t } = useTranslation("operator");
  const format = useFormat();
  const { label } = useLabels();
  const [result, reexecute] = useQuery({ query: FundingQuery, variables: { reference }, requestPolicy: "network-only" });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  const funding = result.data?.contractByPaymentReference;
  if (!funding) return <Empty>{t("pay.notFound", { reference })}</Empty>;
  const { contract } = funding;
  const parties = readFragment(ContractPartiesFragment, contract);
  return (
    <article className="panel" aria-labelledby="funding-title">
      <h2 id="funding-title">
        {t("pay.contract")}: {partiesTitle(contract)}
      </h2>
      <p>
        <span className="badge" data-testid="contract-status">
          {label("ContractStatus", contract.status)}
        </span>
      </p>
      <dl className="facts">
        <dt>{t("pay.buyer")}</dt>
        <dd>
          {parties.buyer.name} (<LegalId data={contract.buyer} />)
        </dd>
        <dt>{t("pay.manufacturer")}</dt>
        <dd>{parties.manufacturer.name}</dd>
      </dl>
      <FundingProgress funding={funding} />
      {contract.status === "FUNDED" ? <p className="notice">{t("pay.funded")}</p> : null}
      <h3>{t("pay.transfers")}</h3>
      {funding.transfers.length === 0 ? (
        <p className="muted">{t("pay.noTransfers")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("pay.transactionId")}</th>
              <th scope="col">{t("pay.receivedOn")}</th>
              <th scope="col" className="number">
                {t("pay.amount")}
              </th>
            </tr>
          </thead>
          <tbody>
            {funding.transfers.map((transfer) => (
              <tr key={transfer.bankTransactionId}>
                <td>
                  <code>{transfer.bankTransactionId}</code>
                </td>
                <td>{format.date(transfer.receivedOn)}</td>
                <td className="number">
                  <Money value={transfer.amount} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {contract.fundingInstructions ? (
        <RecordTransferForm
          reference={contract.fundingInstructions.paymentReference}
          currency={funding.amountDue.currency}
          onRecorded={() => {
            reexecute({ requestPolicy: "network-only" });
            onRecorded();
          }}
        />
      ) : null}
    </article>
  );
}

function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

function RecordTransferForm({
  reference,
  currency,
  onRecorded,
}: {
  reference: string;
  currency: string;
  onRecorded: () => void;
}) {
  const { t } = useTranslation("operator");
  const format = useFormat();
  const [values, setValues] = useState({ txn: "", amount: "", on: today() });
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [state, record] = useMutation(RecordMutation);

  async function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    setNotice(null);
    const amount = { amount: decimalOf(values.amount), currency };
    const response = await record({ reference, txn: values.txn, amount, on: values.on });
    const refusal = userErrorOf(response.data?.recordBankTransfer);
    setError(refusal ?? (response.error ? { message: response.error.message } : null));
    if (!refusal && !response.error) {
      setNotice(t("pay.recorded", { amount: format.money(amount) }));
      setValues({ txn: "", amount: "", on: values.on });
      onRecorded();
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="record-title">
      <h3 id="record-title">{t("pay.recordTitle")}</h3>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorSummary form="record" error={error} />
      <Field form="record" name="bankTransactionId" label={t("pay.transactionId")} error={error}>
        {(props) => <input {...props} value={values.txn} onChange={(e) => setValues({ ...values, txn: e.target.value })} />}
      </Field>
      <Field form="record" name="amount" aliases={["amount.amount", "amount.currency"]} label={t("pay.amount")} error={error}>
        {(props) => (
          <NumberInput
            {...props}
            fractionDigits={2}
            unit={currencySign(currency, format.language)}
            value={values.amount}
            onChange={(amount) => setValues({ ...values, amount })}
          />
        )}
      </Field>
      <Field form="record" name="receivedOn" label={t("pay.receivedOn")} error={error}>
        {(props) => (
          <input {...props} type="date" value={values.on} onChange={(e) => setValues({ ...values, on: e.target.value })} />
        )}
      </Field>
      <button type="submit" className="primary" disabled={state.fetching}>
        {t("pay.record")}
      </button>
    </form>
  );
}

function Instructions({ status, onConfirmed }: { status: "PENDING" | "CONFIRMED"; onConfirmed: () => void }) {
  const { t } = useTranslation("operator");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <>
      {cursors.map((after, index) => (
        <InstructionsPage
          key={after ?? "first"}
          status={status}
          after={after}
          first={index === 0}
          isLast={index === cursors.length - 1}
          onConfirmed={onConfirmed}
          onLoadMore={(cursor) => setCursors((current) => (current.includes(cursor) ? current : [...current, cursor]))}
          empty={status === "PENDING" ? t("pay.noInstructions") : t("pay.noConfirmed")}
        />
      ))}
    </>
  );
}

function InstructionsPage({
  status,
  after,
  first,
  isLast,
  onConfirmed,
  onLoadMore,
  empty,
}: {
  status: "PENDING" | "CONFIRMED";
  after: string | null;
  first: boolean;
  isLast: boolean;
  onConfirmed: () => void;
  onLoadMore: (cursor: string) => void;
  empty: string;
}) {
  const { t } = useTranslation("operator");
  const format = useFormat();
  const { region } = useLabels();
  const [result, reexecute] = useQuery({
    query: InstructionsQuery,
    variables: { status, first: 20, after },
    requestPolicy: "network-only",
  });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  const page = result.data?.paymentInstructions;
  if (!page) return <LoadError />;
  if (first && page.edges.length === 0) return <Empty>{empty}</Empty>;

  return (
    <>
      <ol className="cards" aria-label={status === "PENDING" ? t("pay.instructions") : t("pay.confirmedTitle")}>
        {page.edges.map(({ node }) => {
          const kind = t(`pay.kind.${node.instruction.kind}`, { defaultValue: node.instruction.kind });
          const amount = format.money(node.instruction.amount);
          return (
            <li key={node.instruction.id}>
              <article className="card instruction" aria-labelledby={`i-${node.instruction.id}`}>
                <h3 className="card-title" id={`i-${node.instruction.id}`}>
                  {kind}: {amount}
                </h3>
                <dl className="facts">
                  <dt>{t("pay.beneficiary")}</dt>
                  <dd>
                    {node.beneficiary.name}, <LegalId data={node.beneficiary} />,{" "}
                    {region(node.beneficiary.region)}
                  </dd>
                  {node.instruction.bankReference ? (
                    <>
                      <dt>{t("pay.bankReference")}</dt>
                      <dd data-testid="bank-reference">{node.instruction.bankReference}</dd>
                    </>
                  ) : null}
                </dl>
                <p className="muted">
                  {t("pay.forContract", { title: contractTitle(node.contract) })} ·{" "}
                  {node.instruction.confirmedAt
                    ? t("pay.confirmed", { date: format.dateTime(node.instruction.confirmedAt) })
                    : t("pay.created", { date: format.dateTime(node.instruction.createdAt) })}
                </p>
                {status === "PENDING" ? (
                  <ConfirmInstructionForm
                    id={node.instruction.id}
                    label={t("pay.confirmLabel", { kind, amount, name: node.beneficiary.name })}
                    onConfirmed={onConfirmed}
                  />
                ) : null}
              </article>
            </li>
          );
        })}
      </ol>
      {isLast && page.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
        <LoadMore onLoadMore={() => onLoadMore(page.pageInfo.endCursor!)} />
      ) : null}
    </>
  );
}

/** The operator made the transfer at the bank: it is confirmed with the reference the bank gave it (the payment
 * order's number), which the buyer's or manufacturer's statement then shows. The API checks the reference. */
function ConfirmInstructionForm({ id, label, onConfirmed }: { id: string; label: string; onConfirmed: () => void }) {
  const { t } = useTranslation("operator");
  const [reference, setReference] = useState("");
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [state, confirm] = useMutation(ConfirmMutation);
  const form = `confirm-${id}`;

  async function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const response = await confirm({ id, bankReference: reference });
    const refusal = userErrorOf(response.data?.confirmPaymentInstruction);
    setError(refusal ?? (response.error ? { message: response.error.message } : null));
    if (!refusal && !response.error) onConfirmed();
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label={label}>
      <ErrorSummary form={form} error={error} />
      <Field form={form} name="bankReference" label={t("pay.bankReference")} hint={t("pay.bankReferenceHint")} error={error}>
        {(props) => <input {...props} value={reference} onChange={(e) => setReference(e.target.value)} />}
      </Field>
      <button type="submit" className="primary" disabled={state.fetching}>
        {t("pay.confirm")}
      </button>
    </form>
  );
}
