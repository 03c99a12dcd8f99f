// Saved order searches: each opens the order board with its filters in the URL, and can be deleted;
// a new one is saved with a name, text and filters. New open orders that match are notified to the members of the
// company that keeps the search. A person in several companies sees on each search which company keeps it (always,
// once they may keep searches for more than one, so that a search reads the same whichever company's it is); a
// person in one company does not — it would be the same name on every card.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { graphql, type ResultOf } from "../graphql";
import { enumValues, type EnumOf } from "../i18n/enums";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { SaveSearchOrganisationsQuery } from "./organisations";
import { CheckboxGroup, ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { RegionSelect } from "../ui/selects";
import { Empty, LoadError, Loading } from "../ui/States";
import { boardUrl } from "./boardUrl";
import { UserErrorFragment } from "../errors/userError";
import { SaveSearchMutation } from "./saveSearch";

const SavedSearchesQuery = graphql(
  `
    query SavedSearches {
      savedSearches {
        id
        name
        query
        createdAt
        organisation {
          id
          name
        }
        filter {
          processes
          regions
          certifications
          materials
        }
      }
    }
  `);


const DeleteSavedSearchMutation = graphql(
  `
    mutation DeleteSavedSearch($id: ID!) {
      deleteSavedSearch(id: $id) {
        __typename
        ... on DeleteSavedSearchSuccess {
          deletedId
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

type SavedSearch = ResultOf<typeof SavedSearchesQuery>["savedSearches"][number];

export function SavedSearchesPage() {
  const { t } = useTranslation("savedSearches");
  const [result, refetch] = useQuery({ query: SavedSearchesQuery });
  const [keepers] = useQuery({ query: SaveSearchOrganisationsQuery });
  const [, remove] = useMutation(DeleteSavedSearchMutation);
  const [notice, setNotice] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<UserErrorLike | null>(null);

  async function onRemove(search: SavedSearch) {
    setNotice(null);
    setRemoveError(null);
    const outcome = await remove({ id: search.id });
    const payload = outcome.data?.deleteSavedSearch;
    if (payload?.__typename === "DeleteSavedSearchSuccess") setNotice(t("savedSearches.removed", { name: search.name }));
    else setRemoveError(userErrorOf(payload) ?? (outcome.error ? { message: outcome.error.message } : null));
  }

  let list: React.ReactNode;
  if (result.fetching && !result.data) list = <Loading />;
  else if (result.error && !result.data)
    list = <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  else {
    const searches = result.data?.savedSearches ?? [];
    const companies = new Set([
      ...searches.map((search) => search.organisation.id),
      ...(keepers.data?.savedSearchOrganisations ?? []).map((organisation) => organisation.id),
    ]);
    list = searches.length ? (
      <ul className="cards" aria-label={t("savedSearches.title")}>
        {searches.map((search) => (
          <li key={search.id}>
            <SavedSearchCard search={search} showCompany={companies.size > 1} onRemove={() => onRemove(search)} />
          </li>
        ))}
      </ul>
    ) : (
      <Empty>{t("savedSearches.none")}</Empty>
    );
  }

  return (
    <section>
      <header className="page-header">
        <h1>{t("savedSearches.title")}</h1>
        <p className="lead">{t("savedSearches.lead")}</p>
        <p>
          <Link to="/notifications">{t("savedSearches.notifications")}</Link>
        </p>
      </header>
      <div aria-live="polite">
        {notice ? (
          <p className="success" role="status">
            {notice}
          </p>
        ) : null}
      </div>
      <ErrorSummary form="saved-search-remove" error={removeError} />
      {list}
      <SaveSearchForm onSaved={(name) => setNotice(t("savedSearches.saved", { name }))} />
    </section>
  );
}

function SavedSearchCard({
  search,
  showCompany,
  onRemove,
}: {
  search: SavedSearch;
  /** The viewer keeps searches for more than one company: say whose this one is. */
  showCompany: boolean;
  onRemove: () => void;
}) {
  const { t } = useTranslation("savedSearches");
  const format = useFormat();
  const { label, region } = useLabels();
  const tags = [
    ...search.filter.processes.map((value) => label("Process", value)),
    ...search.filter.regions.map((value) => region(value)),
    ...search.filter.certifications.map((value) => label("CertificationStandard", value)),
    ...search.filter.materials,
  ];
  // The same name may be kept by two companies: the link's and the button's names say whose.
  const whose = { name: search.name, company: search.organisation.name };
  return (
    <article className="card">
      <h2 className="card-title">{search.name}</h2>
      {showCompany ? (
        <p className="saved-search-company">{t("savedSearches.keptBy", { company: search.organisation.name })}</p>
      ) : null}
      {search.query ? <p>{t("savedSearches.text", { query: search.query })}</p> : null}
      {tags.length ? (
        <ul className="tags">
          {tags.map((tag) => (
            <li key={tag}>{tag}</li>
          ))}
        </ul>
      ) : search.query ? null : (
        <p className="muted">{t("savedSearches.anything")}</p>
      )}
      <p className="muted">{t("savedSearches.createdAt", { date: format.date(search.createdAt) })}</p>
      <p className="actions">
        <Link to={boardUrl(search)} aria-label={showCompany ? t("savedSearches.openLabelOfCompany", whose) : t("savedSearches.openLabel", whose)}>
          {t("savedSearches.open")}
        </Link>
        <button
          type="button"
          className="small"
          aria-label={
            showCompany ? t("savedSearches.removeLabelOfCompany", whose) : t("savedSearches.removeLabel", whose)
          }
          onClick={onRemove}
        >
          {t("savedSearches.remove")}
        </button>
      </p>
    </article>
  );
}

function SaveSearchForm({ onSaved }: { onSaved: (name: string) => void }) {
  const { t } = useTranslation("savedSearches");
  const { label } = useLabels();
  const [organisations] = useQuery({ query: SaveSearchOrganisationsQuery });
  const manufacturers = organisations.data?.savedSearchOrganisations ?? [];
  const empty = {
    name: "",
    query: "",
    organisationId: manufacturers[0]?.id ?? "",
    processes: [] as EnumOf<"Process">[],
    region: "",
    certifications: [] as EnumOf<"CertificationStandard">[],
    materials: "",
  };
  const [values, setValues] = useState(empty);
  const [error, setError] = useState<UserErrorLike | string | null>(null);
  const [state, save] = useMutation(SaveSearchMutation);
  const fieldError = typeof error === "string" ? null : error;
  const form = "saved-search";
  const set = (patch: Partial<typeof values>) => setValues((current) => ({ ...current, ...patch }));

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const result = await save({
      name: values.name,
      query: values.query,
      // With one organisation the API knows which; with several, the one chosen here.
      organisationId: manufacturers.length > 1 ? values.organisationId || manufacturers[0]!.id : null,
      filter: {
        processes: values.processes,
        regions: values.region ? [values.region] : [],
        certifications: values.certifications,
        materials: values.materials
          .split(",")
          .map((material) => material.trim())
          .filter(Boolean),
      },
    });
    const payload = result.data?.saveSearch;
    if (payload?.__typename === "SavedSearchSuccess") {
      setError(null);
      setValues(empty);
      onSaved(payload.savedSearch.name);
    } else if (payload?.__typename === "DuplicateSavedSearchError")
      // The same text and filters are kept already: which one, by its name (it is in the list above).
      setError(t("savedSearches.duplicate", { name: payload.existing.name }));
    else setError(userErrorOf(payload) ?? (result.error ? { message: result.error.message } : null));
  }

  // Only organisations the API lets save may: for anyone else there is nothing to fill in.
  if (!manufacturers.length) return null;
  return (
    <form onSubmit={submit} noValidate aria-labelledby="saved-search-new">
      <h2 id="saved-search-new">{t("savedSearches.new")}</h2>
      <p className="hint">
        {t("savedSearches.fromBoard")} <Link to="/orders">{t("savedSearches.board")}</Link>
      </p>
      <ErrorSummary form={form} error={error} />
      <Field form={form} name="name" label={t("savedSearches.name")} hint={t("savedSearches.nameHint")} error={fieldError}>
        {(props) => <input {...props} value={values.name} onChange={(event) => set({ name: event.target.value })} />}
      </Field>
      {manufacturers.length > 1 ? (
        <Field form={form} name="organisationId" label={t("savedSearches.organisation")} error={fieldError}>
          {(props) => (
            <select {...props} value={values.organisationId} onChange={(event) => set({ organisationId: event.target.value })}>
              {manufacturers.map((org) => (
                <option key={org.id} value={org.id}>
                  {org.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <Field
        form={form}
        name="query"
        label={t("savedSearches.query")}
        hint={t("savedSearches.queryHint")}
        error={fieldError}
        optional
      >
        {(props) => (
          <input {...props} type="search" value={values.query} onChange={(event) => set({ query: event.target.value })} />
        )}
      </Field>
      <details open={values.processes.length > 0}>
        <summary>{t("savedSearches.processes")}</summary>
        <CheckboxGroup
          form={form}
          name="filter.processes"
          legend={t("savedSearches.processes")}
          options={enumValues("Process")}
          selected={values.processes}
          onChange={(processes) => set({ processes })}
          labelOf={(value) => label("Process", value)}
          error={fieldError}
        />
      </details>
      <Field form={form} name="filter.regions" label={t("savedSearches.region")} error={fieldError} optional>
        {(props) => <RegionSelect {...props} allowEmpty value={values.region} onChange={(region) => set({ region })} />}
      </Field>
      <details open={values.certifications.length > 0}>
        <summary>{t("savedSearches.certifications")}</summary>
        <CheckboxGroup
          form={form}
          name="filter.certifications"
          legend={t("savedSearches.certifications")}
          options={enumValues("CertificationStandard")}
          selected={values.certifications}
          onChange={(certifications) => set({ certifications })}
          labelOf={(value) => label("CertificationStandard", value)}
          error={fieldError}
        />
      </details>
      <Field
        form={form}
        name="filter.materials"
        label={t("savedSearches.materials")}
        hint={t("savedSearches.materialsHint")}
        error={fieldError}
        optional
      >
        {(props) => (
          <input {...props} value={values.materials} onChange={(event) => set({ materials: event.target.value })} />
        )}
      </Field>
      <p className="actions">
        <button type="submit" className="primary" disabled={state.fetching}>
          {state.fetching ? t("common:form.working") : t("savedSearches.submit")}
        </button>
      </p>
    </form>
  );
}
