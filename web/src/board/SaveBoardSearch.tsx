// «Сохранить поиск» above the order board's list: the board's filters kept as a saved search, under a name made of them
// that the person may change. Offered only for the organisations the API lets save (savedSearchOrganisations);
// what of the board a saved search cannot keep (the sort) is said beside the button. When the board's text and filters
// already are a saved search (savedSearchesMatching: the API compares them as it compares a duplicate), that is said up
// front, with a link to the saved searches, instead of the offer — the offer stays for a company that has not saved it.
// A refusal is worded by the error components; the same search saved meanwhile is named, with a link to it.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { graphql } from "../graphql";
import { useLabels } from "../i18n/labels";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { SaveSearchOrganisationsQuery } from "../savedSearches/organisations";
import { SaveSearchMutation } from "../savedSearches/saveSearch";
import { type BoardFilters, NAME_MAX, savedSearchOf, suggestedName } from "./boardSavedSearch";

export const SavedSearchesMatchingQuery = graphql(`
  query SavedSearchesMatching($query: String!, $filter: OrderSearchFilterInput) {
    savedSearchesMatching(query: $query, filter: $filter) {
      id
      name
      organisation {
        id
        name
      }
    }
  }
`);

type Outcome = { kind: "saved"; name: string } | { kind: "duplicate"; name: string } | null;

/** One per search: what was said about the last one (saved, a duplicate) goes when the filters change. */
export function SaveBoardSearch({ board }: { board: BoardFilters }) {
  const { input } = savedSearchOf(board);
  return <SaveThisSearch key={JSON.stringify(input)} board={board} />;
}

function SaveThisSearch({ board }: { board: BoardFilters }) {
  const { t } = useTranslation("board");
  const { label, region } = useLabels();
  const { input, unsaved } = savedSearchOf(board);
  const [organisations] = useQuery({ query: SaveSearchOrganisationsQuery });
  const offered = organisations.data?.savedSearchOrganisations ?? [];
  const [matching] = useQuery({
    query: SavedSearchesMatchingQuery,
    variables: { query: input.query, filter: input.filter },
    pause: !offered.length,
  });
  const [state, save] = useMutation(SaveSearchMutation);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [organisationId, setOrganisationId] = useState("");
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const noteId = useId();
  const form = "board-save";

  // Nothing to offer, or not yet known whether this search is saved (no «save» that turns into «saved»). Should the
  // question fail, the save is offered: saveSearch still names a duplicate.
  if (!offered.length || (!matching.data && !matching.error)) return null;
  const matches = matching.data?.savedSearchesMatching ?? [];
  const savedBy = new Set(matches.map((match) => match.organisation.id));
  const remaining = offered.filter((org) => !savedBy.has(org.id));
  const several = offered.length > 1;
  const suggestion = suggestedName(input, {
    process: (value) => label("Process", value),
    region,
    certification: (value) => label("CertificationStandard", value),
    everything: t("save.everything"),
  });

  function start() {
    setName(suggestion);
    setOrganisationId(remaining[0]!.id);
    setError(null);
    setOutcome(null);
    setOpen(true);
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const result = await save({
      name,
      query: input.query,
      filter: input.filter,
      // With one organisation the API knows which; with several, the one chosen here.
      organisationId: several ? organisationId : null,
    });
    const payload = result.data?.saveSearch;
    if (payload?.__typename === "SavedSearchSuccess") {
      setOpen(false);
      setError(null);
      setOutcome({ kind: "saved", name: payload.savedSearch.name });
    } else if (payload?.__typename === "DuplicateSavedSearchError") {
      setError(null);
      setOutcome({ kind: "duplicate", name: payload.existing.name });
    } else {
      setOutcome(null);
      setError(userErrorOf(payload) ?? (result.error ? { message: result.error.message } : null));
    }
  }

  // Just saved here, or refused as saved meanwhile: the message below says so, naming it; the note says it of a
  // search saved before.
  const note = outcome ? [] : matches;

  return (
    <div className="save-search">
      {note.length ? (
        <div className="saved-search-note">
          <p>
            <strong>{t("save.already")}</strong>{" "}
            {note.map((match, index) => (
              <span key={match.id}>
                {index ? "; " : ""}«{match.name}»
                {several ? ` ${t("save.alreadyFor", { organisation: match.organisation.name })}` : ""}
              </span>
            ))}
          </p>
          <p className="hint">
            {t("save.alreadyHint")} <Link to="/saved-searches">{t("save.manage")}</Link>
          </p>
        </div>
      ) : null}
      {!remaining.length ? null : open ? (
        <form onSubmit={submit} noValidate aria-labelledby={`${form}-title`}>
          <h3 id={`${form}-title`}>{t("save.title")}</h3>
          <ErrorSummary form={form} error={error} />
          <Field form={form} name="name" label={t("save.name")} hint={t("save.nameHint")} error={error}>
            {(props) => (
              <input {...props} value={name} maxLength={NAME_MAX} onChange={(event) => setName(event.target.value)} />
            )}
          </Field>
          {remaining.length > 1 ? (
            <Field form={form} name="organisationId" label={t("save.organisation")} error={error}>
              {(props) => (
                <select {...props} value={organisationId} onChange={(event) => setOrganisationId(event.target.value)}>
                  {remaining.map((org) => (
                    <option key={org.id} value={org.id}>
                      {org.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : several ? (
            <p className="hint">{t("save.forOrganisation", { organisation: remaining[0]!.name })}</p>
          ) : null}
          {unsaved.length ? <p className="hint">{t("save.unsaved.sort")}</p> : null}
          <p className="actions">
            <button type="submit" className="primary" disabled={state.fetching}>
              {state.fetching ? t("common:form.working") : t("save.submit")}
            </button>
            <button type="button" className="link-button" onClick={() => setOpen(false)}>
              {t("save.cancel")}
            </button>
          </p>
        </form>
      ) : (
        <>
          <button type="button" onClick={start} aria-describedby={unsaved.length ? noteId : undefined}>
            {matches.length ? t("save.buttonOther") : t("save.button")}
          </button>
          {unsaved.length ? (
            <p className="hint" id={noteId}>
              {t("save.unsaved.sort")}
            </p>
          ) : null}
        </>
      )}
      <div aria-live="polite">
        {outcome?.kind === "saved" ? (
          <p className="success" role="status">
            {t("save.saved", { name: outcome.name })} <Link to="/saved-searches">{t("save.all")}</Link>
          </p>
        ) : null}
        {outcome?.kind === "duplicate" ? (
          <p className="error-summary" role="alert">
            {t("save.duplicate", { name: outcome.name })} <Link to="/saved-searches">{t("save.all")}</Link>
          </p>
        ) : null}
      </div>
    </div>
  );
}
