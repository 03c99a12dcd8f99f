// The contract's progress: the lifecycle as the API draws it (states in order, each done, current, upcoming
// or skipped, with when and by whom), then the audit log of every step — who (party, person, company), when, and
// what they said, labelled as what it is (a reason, a comment, a tracking reference). The one timeline: the contract
// room folds the log away; the operator's dispute page, where the log is what is read, opens it (`logOpen`).
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";

export const ContractTimelineFragment = graphql(`
  fragment ContractTimeline on Contract {
    id
    timeline {
      status
      state
      reachedAt
      reachedBy
      reachedByName
    }
    events {
      id
      transition
      actor
      actorName
      note
      noteKind
      createdAt
      organisation {
        id
        name
      }
    }
  }
`);

export function Timeline({
  data,
  logOpen = false,
}: {
  data: FragmentOf<typeof ContractTimelineFragment>;
  /** The audit log unfolded (the operator's dispute page); folded in the contract room. */
  logOpen?: boolean;
}) {
  const { t } = useTranslation("contracts");
  const { label } = useLabels();
  const format = useFormat();
  const contract = readFragment(ContractTimelineFragment, data);
  const who = (party: string | null, name: string | null) =>
    party
      ? name
        ? t("timeline.byPerson", { party: label("ContractParty", party), name })
        : t("timeline.by", { party: label("ContractParty", party) })
      : "";
  return (
    <section aria-labelledby="timeline-title" className="contract-timeline">
      <h2 id="timeline-title">{t("timeline.title")}</h2>
      <ol className="lifecycle">
        {contract.timeline.map((step) => (
          <li
            key={step.status}
            className={`timeline-step timeline-${step.state.toLowerCase()}`}
            aria-current={step.state === "CURRENT" ? "step" : undefined}
            data-testid="timeline-step"
          >
            <span className="timeline-marker" aria-hidden="true" />
            <span className="timeline-status">{label("ContractStatus", step.status)}</span>{" "}
            <span className="visually-hidden">({label("TimelineStepState", step.state)})</span>
            {step.state !== "CURRENT" && step.state !== "DONE" ? (
              <span className="muted timeline-state" aria-hidden="true">
                {" "}
                {label("TimelineStepState", step.state)}
              </span>
            ) : null}
            {step.reachedAt ? (
              <span className="muted timeline-when">
                {t("timeline.reached", {
                  date: format.dateTime(step.reachedAt),
                  who: who(step.reachedBy, step.reachedByName),
                })}
              </span>
            ) : null}
          </li>
        ))}
      </ol>
      <details className="contract-history" open={logOpen}>
        <summary>{t("timeline.history")}</summary>
        <ol className="history" reversed>
          {[...contract.events].reverse().map((event) => (
            <li key={event.id}>
              <strong>{t(`timeline.transition.${event.transition}`, { defaultValue: event.transition })}</strong>{" "}
              <span className="muted">
                {format.dateTime(event.createdAt)} · {who(event.actor, event.actorName)}
                {event.organisation ? ` (${event.organisation.name})` : ""}
              </span>
              {event.note ? (
                <p className="history-note">
                  {event.noteKind ? <span className="muted">{t(`timeline.noteKind.${event.noteKind}`)}: </span> : null}
                  {event.note}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}
