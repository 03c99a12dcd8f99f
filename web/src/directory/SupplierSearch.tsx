// The supplier search's parts: free text, facet chips and filters, all in the URL so a search can be shared.
// The directory puts them together; other screens (e.g. "who fits" an order) reuse them with actions of
// their own on each card.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { useQuery } from "urql";
import { graphql, readFragment } from "../graphql";
import { FacetChips, FacetChipsFragment } from "../ui/FacetChips";
import { type FacetSearch, ProcessAndCertificateFilters, readFacetSearch, writeFacetSearch } from "../ui/FacetFilters";
import { LoadMore } from "../ui/LoadMore";
import { RegionSelect } from "../ui/selects";
import { Empty, LoadError, Loading } from "../ui/States";
import { SupplierCard, SupplierCardFragment } from "./SupplierCard";
import { UserErrorFragment } from "../errors/userError";
import { ErrorText } from "../ui/forms";

const PAGE_SIZE = 20;

const DirectoryQuery = graphql(
  `
    query Directory($query: String!, $filter: ManufacturerSearchFilterInput, $first: Int!, $after: String) {
      searchManufacturers(query: $query, filter: $filter, first: $first, after: $after) {
        __typename
        ... on ManufacturerSearch {
          total
          totalIsEstimate
          pageInfo {
            hasNextPage
            endCursor
          }
          facets {
            ...FacetChips
          }
          edges {
            cursor
            highlights {
              field
              snippet
            }
            node {
              id
              ...SupplierCard
            }
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [SupplierCardFragment, FacetChipsFragment, UserErrorFragment],
);

export interface Search extends FacetSearch {
  verifiedOnly: boolean;
}

function readSearch(params: URLSearchParams): Search {
  return { ...readFacetSearch(params), verifiedOnly: params.get("verified") === "1" };
}

function writeSearch(search: Search): URLSearchParams {
  const params = writeFacetSearch(search);
  if (search.verifiedOnly) params.set("verified", "1");
  return params;
}

/** The search as the URL holds it, a way to change it, and a key that changes with it. */
export function useSupplierSearch() {
  const [params, setParams] = useSearchParams();
  const search = readSearch(params);
  return {
    search,
    update: (next: Partial<Search>) => setParams(writeSearch({ ...search, ...next })),
    clear: () => setParams(new URLSearchParams()),
    key: writeSearch(search).toString(),
  };
}

export type SupplierSearchState = ReturnType<typeof useSupplierSearch>;

export function SupplierSearchForm({ state, idPrefix = "directory" }: { state: SupplierSearchState; idPrefix?: string }) {
  const { t } = useTranslation("directory");
  const [text, setText] = useState(state.search.query);
  return (
    <form
      role="search"
      className="search-bar"
      onSubmit={(event) => {
        event.preventDefault();
        state.update({ query: text.trim() });
      }}
    >
      <label htmlFor={`${idPrefix}-q`}>{t("directory.search")}</label>
      <p className="hint" id={`${idPrefix}-q-hint`}>
        {t("directory.searchHint")}
      </p>
      <div className="search-row">
        <input
          id={`${idPrefix}-q`}
          type="search"
          aria-describedby={`${idPrefix}-q-hint`}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="primary">
          {t("directory.submit")}
        </button>
      </div>
    </form>
  );
}

export function SupplierFilters({
  state,
  idPrefix = "directory",
  Heading = "h2",
  onClear,
}: {
  state: SupplierSearchState;
  idPrefix?: string;
  Heading?: "h2" | "h3";
  onClear?: () => void;
}) {
  const { t } = useTranslation("directory");
  const { search, update } = state;
  return (
    <aside aria-label={t("directory.filters")}>
      <Heading>{t("directory.filters")}</Heading>
      <div className="field">
        <label htmlFor={`${idPrefix}-region`}>{t("directory.regions")}</label>
        <RegionSelect
          id={`${idPrefix}-region`}
          allowEmpty
          value={search.regions[0] ?? ""}
          onChange={(region) => update({ regions: region ? [region] : [] })}
        />
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={search.verifiedOnly} onChange={(e) => update({ verifiedOnly: e.target.checked })} />
        {t("directory.verifiedOnly")}
      </label>
      <ProcessAndCertificateFilters
        form={idPrefix}
        search={search}
        update={update}
        processesLabel={t("directory.processes")}
        certificationsLabel={t("directory.certifications")}
      />
      {state.key ? (
        <button
          type="button"
          className="link-button"
          onClick={() => {
            onClear?.();
            state.clear();
          }}
        >
          {t("directory.clear")}
        </button>
      ) : null}
    </aside>
  );
}

/** The results, one query per page, with facet chips over the first; `actions` adds buttons to each card. */
export function SupplierResults({
  state,
  actions,
}: {
  state: SupplierSearchState;
  actions?: (supplier: { id: string; name: string }) => React.ReactNode;
}) {
  return <Results key={state.key} search={state.search} update={state.update} actions={actions} />;
}

function Results({
  search,
  update,
  actions,
}: {
  search: Search;
  update: (next: Partial<Search>) => void;
  actions?: (supplier: { id: string; name: string }) => React.ReactNode;
}) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <>
      {cursors.map((after, index) => (
        <ResultsPage
          key={after ?? "first"}
          search={search}
          after={after}
          first={index === 0}
          isLast={index === cursors.length - 1}
          update={update}
          actions={actions}
          onLoadMore={(cursor) => setCursors((current) => (current.includes(cursor) ? current : [...current, cursor]))}
        />
      ))}
    </>
  );
}

function ResultsPage({
  search,
  after,
  first,
  isLast,
  update,
  actions,
  onLoadMore,
}: {
  search: Search;
  after: string | null;
  first: boolean;
  isLast: boolean;
  update: (next: Partial<Search>) => void;
  actions?: (supplier: { id: string; name: string }) => React.ReactNode;
  onLoadMore: (cursor: string) => void;
}) {
  const { t } = useTranslation("directory");
  const [result, refetch] = useQuery({
    query: DirectoryQuery,
    variables: {
      query: search.query,
      filter: {
        processes: search.processes.length ? search.processes : null,
        regions: search.regions.length ? search.regions : null,
        certifications: search.certifications.length ? search.certifications : null,
        verifiedOnly: search.verifiedOnly,
      },
      first: PAGE_SIZE,
      after,
    },
  });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const page = result.data?.searchManufacturers;
  if (!page) return null;
  if (page.__typename !== "ManufacturerSearch")
    return (
      <p className="error-summary">
        <ErrorText error={page} />
      </p>
    );
  return (
    <>
      {first ? (
        <>
          <p className="result-count" role="status">
            {page.totalIsEstimate ? `${t("directory.approximately")} ` : ""}
            {t("directory.found", { count: page.total })}
          </p>
          <FacetChips
            facets={page.facets}
            selected={search}
            onToggle={(kind, value) => {
              const current: string[] = search[kind];
              update({ [kind]: current.includes(value) ? current.filter((v) => v !== value) : [...current, value] });
            }}
          />
          {page.edges.length === 0 ? <Empty>{t("directory.none")}</Empty> : null}
        </>
      ) : null}
      <ol className="cards" aria-label={t("directory.title")} start={undefined}>
        {page.edges.map((edge) => (
          <li key={edge.node.id}>
            <SupplierCard data={edge.node} highlights={edge.highlights}>
              {actions ? actions(readFragment(SupplierCardFragment, edge.node)) : null}
            </SupplierCard>
          </li>
        ))}
      </ol>
      {isLast && page.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
        <LoadMore onLoadMore={() => onLoadMore(page.pageInfo.endCursor!)} />
      ) : null}
    </>
  );
}
