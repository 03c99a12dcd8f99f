// «Сохранить поиск» above the order board's list: the board's filters kept as a saved search, under a name made of them
// that the person may change. Offered only for the organisations the API lets save (savedSearchOrganisations);
// what of the board a saved search cannot keep (the sort) is said beside the button. A refusal is worded by the
// error components; the same search saved before is named, with a link to it.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { useLabels } from "../i18n/labels";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { SaveSearchOrganisationsQuery } from "../savedSearches/organisations";
import { SaveSearchMutation } from "../savedSearches/saveSearch";
import { type BoardFilters, NAME_MAX, savedSearchOf, suggestedName } from "./boardSavedSearch";

type Outcome = { kind: "saved"; name: string } | { kind: "duplicate"; name: string } | null;

export function SaveBoardSearch({ board }: { board: BoardFilters }) {
  const { t } = useTranslation("board");
  const { label, region } = useLabels();
  const [organisations] = useQuery({ query: SaveSearchOrganisationsQuery });
  const [state, save] = useMutation(SaveSearchMutation);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [organisationId, setOrganisationId] = useState("");
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const noteId = useId();
  const form = "board-save";

  const offered = organisations.data?.savedSearchOrganisations ?? [];
  if (!offered.length) return null;
  const { input, unsaved } = savedSearchOf(board);
  const suggestion = suggestedName(input, {
    process: (value) => label("Process", value),
    region,
    certification: (value) => label("CertificationStandard", value),
    everything: t("save.everything"),
  });

  function start() {
    setName(suggestion);
    setOrganisationId(offered[0]!.id);
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
      organisationId: offered.length > 1 ? organisationId : null,
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

  return (
    <div className="save-search">
      {open ? (
        <form onSubmit={submit} noValidate aria-labelledby={`${form}-title`}>
          <h3 id={`${form}-title`}>{t("save.title")}</h3>
          <ErrorSummary form={form} error={error} />
          <Field form={form} name="name" label={t("save.name")} hint={t("save.nameHint")} error={error}>
            {(props) => (
              <input {...props} value={name} maxLength={NAME_MAX} onChange={(event) => setName(event.target.value)} />
            )}
          </Field>
          {offered.length > 1 ? (
            <Field form={form} name="organisationId" label={t("save.organisation")} error={error}>
              {(props) => (
                <select {...props} value={organisationId} onChange={(event) => setOrganisationId(event.target.value)}>
                  {offered.map((org) => (
                    <option key={org.id} value={org.id}>
                      {org.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
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
            {t("save.button")}
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
