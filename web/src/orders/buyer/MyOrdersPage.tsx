// /my/orders: the buyer's own orders (drafts included), filtered by status in the URL, with infinite scroll.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { graphql } from "../../graphql";
import { enumValues, type EnumOf } from "../../i18n/enums";
import { useLabels } from "../../i18n/labels";
import { organisationsOf, useViewer } from "../../identity/AuthProvider";
import { LoadMore } from "../../ui/LoadMore";
import { Empty, LoadError, Loading } from "../../ui/States";
import { MyOrderRow, MyOrderRowFragment } from "./MyOrderRow";
import { noticeOf } from "./notice";

const PAGE_SIZE = 20;

const MyOrdersQuery = graphql(
  `
    query MyOrders($statuses: [OrderStatus!], $first: Int!, $after: String) {
      orders(filter: { mine: true, statuses: $statuses }, sort: NEWEST, first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            ...MyOrderRow
          }
        }
      }
    }
  `,
  [MyOrderRowFragment],
);

type Status = EnumOf<"OrderStatus">;

export function MyOrdersPage() {
  const { t } = useTranslation("buyerOrders");
  const { label } = useLabels();
  const location = useLocation();
  const notice = noticeOf(location.state);
  const [params] = useSearchParams();
  const statuses = new Set<string>(enumValues("OrderStatus"));
  const status = statuses.has(params.get("status") ?? "") ? (params.get("status") as Status) : null;
  const { viewer } = useViewer();
  const showBuyer = organisationsOf(viewer).buyers.length > 1;
  const tabs: { value: Status | null; text: string }[] = [
    { value: null, text: t("mine.all") },
    ...enumValues("OrderStatus").map((value) => ({ value, text: label("OrderStatus", value) })),
  ];
  return (
    <section>
      <header className="page-header page-header-row">
        <h1>{t("mine.title")}</h1>
        <Link className="button primary" to="/orders/new">
          {t("mine.newOrder")}
        </Link>
      </header>
      {notice ? (
        <p className="success" role="status">
          {t(`notice.${notice.key}`, { title: notice.title })}
        </p>
      ) : null}
      <nav aria-label={t("mine.filter")}>
        <ul className="tabs">
          {tabs.map((tab) => (
            <li key={tab.value ?? "all"}>
              <Link
                to={tab.value ? `?status=${tab.value}` : "?"}
                aria-current={tab.value === status ? "page" : undefined}
                className={tab.value === status ? "tab tab-current" : "tab"}
              >
                {tab.text}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Pages key={status ?? "all"} status={status} showBuyer={showBuyer} />
    </section>
  );
}

function Pages({ status, showBuyer }: { status: Status | null; showBuyer: boolean }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <>
      {cursors.map((after, index) => (
        <OrdersPage
          key={after ?? "first"}
          status={status}
          after={after}
          first={index === 0}
          isLast={index === cursors.length - 1}
          showBuyer={showBuyer}
          onLoadMore={(cursor) => setCursors((current) => (current.includes(cursor) ? current : [...current, cursor]))}
        />
      ))}
    </>
  );
}

function OrdersPage({
  status,
  after,
  first,
  isLast,
  showBuyer,
  onLoadMore,
}: {
  status: Status | null;
  after: string | null;
  first: boolean;
  isLast: boolean;
  showBuyer: boolean;
  onLoadMore: (cursor: string) => void;
}) {
  const { t } = useTranslation("buyerOrders");
  // cache-and-network: an order created or changed on another screen shows here at once.
  const [result, refetch] = useQuery({
    query: MyOrdersQuery,
    variables: { statuses: status ? [status] : null, first: PAGE_SIZE, after },
    requestPolicy: "cache-and-network",
  });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const page = result.data?.orders;
  if (!page) return null;
  if (first && page.edges.length === 0) return <Empty>{status ? t("mine.none") : t("mine.noneAtAll")}</Empty>;
  return (
    <>
      <ul className="cards" aria-label={first ? t("mine.list") : undefined}>
        {page.edges.map((edge) => (
          <li key={edge.node.id}>
            <MyOrderRow data={edge.node} showBuyer={showBuyer} />
          </li>
        ))}
      </ul>
      {isLast && page.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
        <LoadMore onLoadMore={() => onLoadMore(page.pageInfo.endCursor!)} />
      ) : null}
    </>
  );
}
