// The order board: open orders with filters and sort in the URL (q, process, region, cert, material, sort),
// infinite scroll over the cursor connection; with words in `q` (or materials, which only the search filters by,
// as a saved search opened here may carry) it searches instead (highlights, relevance order). Manufacturers may
// save the board's filters as a saved search (SaveBoardSearch).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { graphql } from "../graphql";
import { enumValues, type EnumOf } from "../i18n/enums";
import { FacetChips, FacetChipsFragment } from "../ui/FacetChips";
import { type FacetSearch, ProcessAndCertificateFilters, readFacetSearch, writeFacetSearch } from "../ui/FacetFilters";
import { LoadMore } from "../ui/LoadMore";
import { EnumSelect, RegionSelect } from "../ui/selects";
import { Empty, LoadError, Loading } from "../ui/States";
import { OrderCard, OrderCardFragment } from "./OrderCard";
import { UserErrorFragment } from "../errors/userError";
import { ErrorText } from "../ui/forms";
import { SaveBoardSearch } from "./SaveBoardSearch";

const PAGE_SIZE = 20;

const BoardQuery = graphql(
  `
    query Board($filter: OrderFilterInput, $sort: OrderSort!, $first: Int!, $after: String) {
      orders(filter: $filter, sort: $sort, first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            id
            ...OrderCard
          }
        }
      }
    }
  `,
  [OrderCardFragment],
);

const BoardSearchQuery = graphql(
  `
    query BoardSearch($query: String!, $filter: OrderSearchFilterInput, $first: Int!, $after: String) {
      searchOrders(query: $query, filter: $filter, first: $first, after: $after) {
        __typename
        ... on OrderSearch {
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
              ...OrderCard
            }
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [OrderCardFragment, FacetChipsFragment, UserErrorFragment],
);

type Sort = EnumOf<"OrderSort">;

export interface BoardSearch extends FacetSearch {
  /** Exact material names (any case): the search filters by them, the browse list cannot. */
  materials: string[];
  sort: Sort;
}

export function readBoardSearch(params: URLSearchParams): BoardSearch {
  const sorts = new Set<string>(enumValues("OrderSort"));
  const sort = params.get("sort") ?? "";
  const materials = params
    .getAll("material")
    .map((material) => material.trim())
    .filter(Boolean);
  return { ...readFacetSearch(params), materials, sort: (sorts.has(sort) ? sort : "NEWEST") as Sort };
}

/** Whether the person narrowed the list (only then does «remove some filters» help). */
function narrowed(search: BoardSearch): boolean {
  return (
    !!search.query ||
    search.processes.length + search.regions.length + search.certifications.length + search.materials.length > 0
  );
}

/** Words or materials: only the search can answer. */
function searching(search: BoardSearch): boolean {
  return !!search.query || search.materials.length > 0;
}

export function writeBoardSearch(search: BoardSearch): URLSearchParams {
  const params = writeFacetSearch(search);
  search.materials.forEach((material) => params.append("material", material));
  if (search.sort !== "NEWEST") params.set("sort", search.sort);
  return params;
}

export function BoardTabs() {
  const { t } = useTranslation("board");
  return (
    <nav aria-label={t("board.tabs")} className="tabs">
      <NavLink to="/orders" end>
        {t("board.all")}
      </NavLink>
      <NavLink to="/orders/recommended">{t("board.recommended")}</NavLink>
    </nav>
  );
}

export function BoardPage() {
  const { t } = useTranslation("board");
  const [params, setParams] = useSearchParams();
  const search = readBoardSearch(params);
  const [text, setText] = useState(search.query);
  const update = (next: Partial<BoardSearch>) => setParams(writeBoardSearch({ ...search, ...next }));
  const key = params.toString();

  return (
    <section>
      <h1>{t("board.title")}</h1>
      <p className="lead">{t("board.lead")}</p>
      <BoardTabs />
      <form
        role="search"
        className="search-bar"
        onSubmit={(event) => {
          event.preventDefault();
          update({ query: text.trim() });
        }}
      >
        <label htmlFor="board-q">{t("board.search")}</label>
        <p className="hint" id="board-q-hint">
          {t("board.searchHint")}
        </p>
        <div className="search-row">
          <input
            id="board-q"
            type="search"
            aria-describedby="board-q-hint"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" className="primary">
            {t("board.submit")}
          </button>
        </div>
      </form>
      <div className="with-sidebar">
        <aside aria-label={t("board.filters")}>
          <h2>{t("board.filters")}</h2>
          <div className="field">
            <label htmlFor="board-sort">{t("board.sort")}</label>
            {searching(search) ? (
              <p className="hint" id="board-sort-hint">
                {t("board.sortByRelevance")}
              </p>
            ) : null}
            <EnumSelect
              id="board-sort"
              enumName="OrderSort"
              value={search.sort}
              disabled={searching(search)}
              aria-describedby={searching(search) ? "board-sort-hint" : undefined}
              onChange={(sort) => update({ sort: sort || "NEWEST" })}
            />
          </div>
          <div className="field">
            <label htmlFor="board-region">{t("board.region")}</label>
            <RegionSelect
              id="board-region"
              allowEmpty
              value={search.regions[0] ?? ""}
              onChange={(region) => update({ regions: region ? [region] : [] })}
            />
          </div>
          <ProcessAndCertificateFilters
            form="board"
            search={search}
            update={update}
            processesLabel={t("board.processes")}
            certificationsLabel={t("board.certifications")}
          />
          {search.materials.length ? (
            <div className="field">
              <p>
                <strong>{t("board.materials")}</strong>
              </p>
              <ul className="tags">
                {search.materials.map((material) => (
                  <li key={material}>
                    {material}{" "}
                    <button
                      type="button"
                      className="link-button"
                      aria-label={t("board.removeMaterial", { material })}
                      onClick={() => update({ materials: search.materials.filter((m) => m !== material) })}
                    >
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {key ? (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setText("");
                setParams(new URLSearchParams());
              }}
            >
              {t("board.clear")}
            </button>
          ) : null}
        </aside>
        <div>
          <SaveBoardSearch board={search} />
          <Pages key={key} search={search} update={update} />
        </div>
      </div>
    </section>
  );
}

function Pages({ search, update }: { search: BoardSearch; update: (next: Partial<BoardSearch>) => void }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const onLoadMore = (cursor: string) =>
    setCursors((current) => (current.includes(cursor) ? current : [...current, cursor]));
  return (
    <>
      {cursors.map((after, index) => {
        const props = { search, after, first: index === 0, isLast: index === cursors.length - 1, onLoadMore };
        return searching(search) ? (
          <SearchPage key={after ?? "first"} {...props} update={update} />
        ) : (
          <BrowsePage key={after ?? "first"} {...props} />
        );
      })}
    </>
  );
}

interface PageProps {
  search: BoardSearch;
  after: string | null;
  first: boolean;
  isLast: boolean;
  onLoadMore: (cursor: string) => void;
}

function BrowsePage({ search, after, first, isLast, onLoadMore }: PageProps) {
  const { t } = useTranslation("board");
  const [result, refetch] = useQuery({
    query: BoardQuery,
    variables: {
      filter: {
        statuses: ["OPEN"],
        processes: search.processes.length ? search.processes : null,
        regions: search.regions.length ? search.regions : null,
        certifications: search.certifications.length ? search.certifications : null,
      },
      sort: search.sort,
      first: PAGE_SIZE,
      after,
    },
  });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const page = result.data?.orders;
  if (!page) return null;
  return (
    <>
      {first && page.edges.length === 0 ? <Empty>{t(narrowed(search) ? "board.none" : "board.noneOpen")}</Empty> : null}
      <ol className="cards" aria-label={t("board.list")}>
        {page.edges.map((edge) => (
          <li key={edge.node.id}>
            <OrderCard data={edge.node} />
          </li>
        ))}
      </ol>
      {isLast && page.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
        <LoadMore onLoadMore={() => onLoadMore(page.pageInfo.endCursor!)} />
      ) : null}
    </>
  );
}

function SearchPage({ search, after, first, isLast, onLoadMore, update }: PageProps & { update: (next: Partial<BoardSearch>) => void }) {
  const { t } = useTranslation("board");
  const [result, refetch] = useQuery({
    query: BoardSearchQuery,
    variables: {
      query: search.query,
      filter: {
        processes: search.processes.length ? search.processes : null,
        regions: search.regions.length ? search.regions : null,
        certifications: search.certifications.length ? search.certifications : null,
        materials: search.materials.length ? search.materials : null,
      },
      first: PAGE_SIZE,
      after,
    },
  });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const page = result.data?.searchOrders;
  if (!page) return null;
  if (page.__typename !== "OrderSearch")
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
            {page.totalIsEstimate ? `${t("board.approximately")} ` : ""}
            {t("board.found", { count: page.total })}
          </p>
          <FacetChips
            facets={page.facets}
            selected={search}
            onToggle={(kind, value) => {
              const current: string[] = search[kind];
              update({ [kind]: current.includes(value) ? current.filter((v) => v !== value) : [...current, value] });
            }}
          />
          {page.edges.length === 0 ? <Empty>{t("board.none")}</Empty> : null}
        </>
      ) : null}
      <ol className="cards" aria-label={t("board.list")}>
        {page.edges.map((edge) => (
          <li key={edge.node.id}>
            <OrderCard data={edge.node} highlights={edge.highlights} />
          </li>
        ))}
      </ol>
      {isLast && page.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
        <LoadMore onLoadMore={() => onLoadMore(page.pageInfo.endCursor!)} />
      ) : null}
    </>
  );
}
