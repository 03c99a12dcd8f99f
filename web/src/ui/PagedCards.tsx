// A list of cards over a cursor connection, one query per page: the first page loads at once, the next when
// LoadMore comes into view. Each page keeps its own query (and so its own place in the cache), so a card
// updated by a mutation is updated where it stands. The screen gives the query, where the connection sits in
// its answer, and how one card looks; loading, error and empty states are the same everywhere.
import { useState } from "react";
import { useQuery, type RequestPolicy, type TypedDocumentNode } from "urql";
import { LoadMore } from "./LoadMore";
import { Empty, LoadError, Loading } from "./States";

export interface CardConnection<Node> {
  edges: readonly { node: Node }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export interface PageVariables {
  first: number;
  after?: string | null;
}

export interface PagedCardsProps<Data, Node> {
  query: TypedDocumentNode<Data, PageVariables>;
  /** The connection in the query's answer (null when the API answered nothing, e.g. not allowed). */
  connection: (data: Data) => CardConnection<Node> | null | undefined;
  /** The list's accessible name. */
  label: string;
  /** Shown instead of the list when the first page is empty. */
  empty: React.ReactNode;
  card: (node: Node) => React.ReactNode;
  pageSize?: number;
  requestPolicy?: RequestPolicy;
  /** What tells one card from another: the node's id, or, for a node without one, what the screen names. */
  keyOf?: (node: Node) => string;
}

/** The default key: the node's `id` (a list of nodes without one passes keyOf). */
const idOf = (node: unknown) => (node as { id: string }).id;

export function PagedCards<Data, Node>(props: PagedCardsProps<Data, Node>) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <>
      {cursors.map((after, index) => (
        <CardsPage
          {...props}
          key={after ?? "first"}
          after={after}
          first={index === 0}
          isLast={index === cursors.length - 1}
          onLoadMore={(cursor) => setCursors((current) => (current.includes(cursor) ? current : [...current, cursor]))}
        />
      ))}
    </>
  );
}

function CardsPage<Data, Node>({
  query,
  connection,
  label,
  empty,
  card,
  pageSize = 20,
  requestPolicy = "network-only",
  keyOf = idOf,
  after,
  first,
  isLast,
  onLoadMore,
}: PagedCardsProps<Data, Node> & {
  after: string | null;
  first: boolean;
  isLast: boolean;
  onLoadMore: (cursor: string) => void;
}) {
  const [result, reexecute] = useQuery<Data, PageVariables>({
    query,
    variables: { first: pageSize, after },
    requestPolicy,
  });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  const page = result.data ? connection(result.data) : null;
  if (!page) return <LoadError />;
  if (first && page.edges.length === 0) return <Empty>{empty}</Empty>;
  const endCursor = page.pageInfo.endCursor;
  return (
    <>
      {/* Later pages continue the first list for the eye; only the first one names it for screen readers. */}
      <ol className="cards" aria-label={first ? label : undefined}>
        {page.edges.map(({ node }) => (
          <li key={keyOf(node)}>{card(node)}</li>
        ))}
      </ol>
      {isLast && page.pageInfo.hasNextPage && endCursor ? <LoadMore onLoadMore={() => onLoadMore(endCursor)} /> : null}
    </>
  );
}
