// The steps the signed-in person may take now: exactly the contract's availableActions (the API reads them
// from the lifecycle table). Each opens a small form for what it needs (reason, tracking reference, note);
// an irreversible one asks to confirm; a refusal is shown as the API gives it and changes nothing.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useClient } from "urql";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import type { EnumOf } from "../i18n/enums";
import { useLabels } from "../i18n/labels";
import { ErrorSummary, ErrorText, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { UserErrorFragment } from "../errors/userError";

export const ContractActionsFragment = graphql(`
  fragment ContractActions on Contract {
    id
    availableActions {
      action
      needs
      irreversible
    }
    fundingInstructions {
      method
      card {
        publishableKey
      }
    }
  }
`);


// One mutation per action; the document and the API name of its text input.
const Start = graphql(`mutation StartProduction($id: ID!) { result: startProduction(contractId: $id) { __typename ... on ContractSuccess { contract { id status } } ...UserErrorFields } }`, [UserErrorFragment]);
const Submit = graphql(
  `mutation SubmitFirstArticle($id: ID!, $note: String!) { result: submitFirstArticle(contractId: $id, note: $note) { __typename ... on ContractSuccess { contract { id status } } ...UserErrorFields } }`, [UserErrorFragment]);
const Approve = graphql(
  `mutation ApproveFirstArticle($id: ID!, $note: String!) { result: approveFirstArticle(contractId: $id, note: $note) { __typename ... on ContractSuccess { contract { id status } } ...UserErrorFields } }`, [UserErrorFragment]);
const Reject = graphql(
  `mutation RejectFirstArticle($id: ID!, $reason: String!) { result: rejectFirstArticle(contractId: $id, reason: $reason) { __typename ... on ContractSuccess { contract { id status } } ...UserErrorFields } }`, [UserErrorFragment]);
const Ship = graphql(
  `mutation Ship($id: ID!, $trackingReference: String!) { result: ship(contractId: $id, trackingReference: $trackingReference) { __typename ... on ContractSuccess { contract { id status } } ...UserErrorFields } }`, [UserErrorFragment]);
const Confirm = graphql(`mutation ConfirmDelivery($id: ID!) { result: confirmDelivery(contractId: $id) { __typename ... on ContractSuccess { contract { id status } } ...UserErrorFields } }`, [UserErrorFragment]);
const Accept = graphql(
  `mutation AcceptDelivery($id: ID!, $note: String!) { result: acceptDelivery(contractId: $id, note: $note) { __typename ... on ContractSuccess { contract { id status } } ...UserErrorFields } }`, [UserErrorFragment]);
const Dispute = graphql(
  `mutation OpenDispute($id: ID!, $reason: String!) { result: openDispute(contractId: $id, reason: $reason) { __typename ... on ContractSuccess { contract { id status } } ...UserErrorFields } }`, [UserErrorFragment]);
const Cancel = graphql(
  `mutation CancelContract($id: ID!, $reason: String!) { result: cancelContract(contractId: $id, reason: $reason) { __typename ... on ContractSuccess { contract { id status } } ...UserErrorFields } }`, [UserErrorFragment]);

type Action = EnumOf<"ContractAction">;
type Need = EnumOf<"ContractActionNeed">;
interface StepResult {
  result: { __typename?: string; message?: string; code?: string | null; field?: string | null };
}

export function ActionPanel({
  data,
  onDone,
  onStale,
}: {
  data: FragmentOf<typeof ContractActionsFragment>;
  onDone: (action: string) => void;
  /** A step was refused because the contract has moved on since this page read it: read it again. */
  onStale: () => void;
}) {
  const { t } = useTranslation("contracts");
  const { label } = useLabels();
  const contract = readFragment(ContractActionsFragment, data);
  const [open, setOpen] = useState<Action | null>(null);
  // The refusal of a step the contract has moved past, kept here: once the contract is read again the step's form
  // is gone with the step, and the reason would go with it.
  const [stale, setStale] = useState<{ action: Action; error: UserErrorLike } | null>(null);
  const actions = contract.availableActions;
  const staleShown = stale !== null && !actions.some((item) => item.action === stale.action);
  return (
    <section aria-labelledby="actions-title" className="contract-actions card">
      <h2 id="actions-title">{t("actions.title")}</h2>
      {staleShown ? (
        <div className="error-summary" role="alert">
          <h3>{t("actions.stale")}</h3>
          <p>
            <ErrorText error={stale.error} />
          </p>
        </div>
      ) : null}
      {actions.length === 0 ? <p className="muted">{t("actions.none")}</p> : null}
      {actions.map((item) => {
        if (item.action === "FUND") {
          return contract.fundingInstructions?.card ? (
            <p key={item.action}>
              <Link className="button primary" to={`/contracts/${encodeURIComponent(contract.id)}/pay`}>
                {t("actions.payByCard")}
              </Link>
            </p>
          ) : (
            <p key={item.action}>{t("actions.payByTransfer")}</p>
          );
        }
        if (item.action === "REVIEW") return <p key={item.action}>{t("actions.review")}</p>;
        if (item.action === "RESOLVE_DISPUTE") return <p key={item.action}>{t("actions.resolveInConsole")}</p>;
        const immediate = item.needs.length === 0 && !item.irreversible;
        if (open === item.action || immediate) {
          return (
            <StepForm
              key={item.action}
              contractId={contract.id}
              action={item.action}
              needs={item.needs}
              irreversible={item.irreversible}
              compact={immediate}
              onCancel={() => setOpen(null)}
              onDone={() => {
                // The room's header announces the contract's new state (it hears its own step live too).
                setOpen(null);
                setStale(null);
                onDone(item.action);
              }}
              onStale={(error) => {
                setStale({ action: item.action, error });
                onStale();
              }}
            />
          );
        }
        return (
          <p key={item.action} className="actions">
            <button
              type="button"
              className={item.action === "CANCEL" || item.action === "OPEN_DISPUTE" ? "danger" : "primary"}
              onClick={() => setOpen(item.action)}
            >
              {label("ContractAction", item.action)}
            </button>
          </p>
        );
      })}
    </section>
  );
}

function StepForm({
  contractId,
  action,
  needs,
  irreversible,
  compact,
  onCancel,
  onDone,
  onStale,
}: {
  contractId: string;
  action: Action;
  needs: readonly Need[];
  irreversible: boolean;
  /** Nothing to fill in and nothing to confirm: the form is its button. */
  compact: boolean;
  onCancel: () => void;
  onDone: () => void;
  onStale: (error: UserErrorLike) => void;
}) {
  const { t } = useTranslation("contracts");
  const { label } = useLabels();
  const client = useClient();
  const [text, setText] = useState({ reason: "", note: "", trackingReference: "" });
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [working, setWorking] = useState(false);
  const form = `step-${action.toLowerCase()}`;
  const name = label("ContractAction", action);
  const run = async (): Promise<StepResult | undefined> => {
    const id = contractId;
    const options = { additionalTypenames: ["Contract"] };
    switch (action) {
      case "START_PRODUCTION":
        return (await client.mutation(Start, { id }, options).toPromise()).data;
      case "SUBMIT_FIRST_ARTICLE":
        return (await client.mutation(Submit, { id, note: text.note }, options).toPromise()).data;
      case "APPROVE_FIRST_ARTICLE":
        return (await client.mutation(Approve, { id, note: text.note }, options).toPromise()).data;
      case "REJECT_FIRST_ARTICLE":
        return (await client.mutation(Reject, { id, reason: text.reason }, options).toPromise()).data;
      case "SHIP":
        return (
          await client.mutation(Ship, { id, trackingReference: text.trackingReference }, options).toPromise()
        ).data;
      case "CONFIRM_DELIVERY":
        return (await client.mutation(Confirm, { id }, options).toPromise()).data;
      case "ACCEPT":
        return (await client.mutation(Accept, { id, note: text.note }, options).toPromise()).data;
      case "OPEN_DISPUTE":
        return (await client.mutation(Dispute, { id, reason: text.reason }, options).toPromise()).data;
      case "CANCEL":
        return (await client.mutation(Cancel, { id, reason: text.reason }, options).toPromise()).data;
      default:
        return undefined;
    }
  };
  return (
    <form
      className={compact ? "step-form step-form-compact" : "step-form"}
      aria-label={name}
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        setWorking(true);
        const data = await run().catch((failure: Error) => {
          setError({ message: failure.message });
          return undefined;
        });
        setWorking(false);
        const refusal = userErrorOf(data?.result);
        if (refusal) {
          setError(refusal);
          // The contract is no longer where this page saw it (another tab, the other party, a timer).
          if (data?.result.__typename === "InvalidStateError") onStale(refusal);
        } else if (data?.result.__typename === "ContractSuccess") onDone();
      }}
    >
      {compact ? null : <h3>{irreversible ? t("actions.confirmTitle", { action: name }) : name}</h3>}
      <ErrorSummary form={form} error={error} />
      {needs.includes("REASON") ? (
        <Field form={form} name="reason" label={t("actions.reason")} hint={t("actions.reasonHint")} error={error}>
          {(props) => (
            <textarea {...props} rows={3} value={text.reason} onChange={(e) => setText({ ...text, reason: e.target.value })} />
          )}
        </Field>
      ) : null}
      {needs.includes("TRACKING_REFERENCE") ? (
        <Field form={form} name="trackingReference" label={t("actions.tracking")} error={error}>
          {(props) => (
            <input
              {...props}
              value={text.trackingReference}
              onChange={(e) => setText({ ...text, trackingReference: e.target.value })}
            />
          )}
        </Field>
      ) : null}
      {needs.includes("NOTE") ? (
        <Field form={form} name="note" label={t("actions.note")} error={error} optional>
          {(props) => (
            <textarea {...props} rows={2} value={text.note} onChange={(e) => setText({ ...text, note: e.target.value })} />
          )}
        </Field>
      ) : null}
      {irreversible ? <p className="warning">{t("actions.confirmText")}</p> : null}
      <p className="actions">
        <button type="submit" className="primary" disabled={working}>
          {working ? t("actions.working") : irreversible ? `${t("actions.confirm")}: ${name}` : name}
        </button>
        {compact ? null : (
          <button type="button" onClick={onCancel}>
            {t("actions.back")}
          </button>
        )}
      </p>
    </form>
  );
}
