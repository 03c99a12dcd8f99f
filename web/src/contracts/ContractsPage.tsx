// /contracts: the contracts of the viewer's organisations, newest first, filtered by status in the URL, with
// infinite scroll.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { graphql } from "../graphql";
import { enumValues, type EnumOf } from "../i18n/enums";
import { useLabels } from "../i18n/labels";
import { LoadMore } from "../ui/LoadMore";
import { Empty, LoadError, Loading } from "../ui/States";
import { ContractRow, ContractRowFragment } from "./ContractRow";

const PAGE_SIZE = 20;

const MyContractsQuery = graphql(
  `
    query MyContracts($statuses: [ContractStatus!], $first: Int!, $after: String) {
      myContracts(statuses: $statuses, first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            ...ContractRow
          }
        }
      }
    }
  `,
  [ContractRowFragment],
);

type Status = EnumOf<"ContractStatus">;

export function ContractsPage() {
  const { t } = useTranslation("contracts");
  const { label } = useLabels();
  const [params] = useSearchParams();
  const statuses = new Set<string>(enumValues("ContractStatus"));
  const status = statuses.has(params.get("status") ?? "") ? (params.get("status") as Status) : null;
  const tabs: { value: Status | null; text: string }[] = [
    { value: null, text: t("list.all") },
    ...enumValues("ContractStatus").map((value) => ({ value, text: label("ContractStatus", value) })),
  ];
  return (
    <section>
      <header className="page-header">
        <h1>{t("list.title")}</h1>
      </header>
      <nav aria-label={t("list.filter")} className="tabs">
        <ul>
          {tabs.map((tab) => (
            <li key={tab.value ?? "all"}>
              <Link
                to={tab.value ? `?status=${tab.value}` : "?"}
                aria-current={tab.value === status ? "page" : undefined}
              >
                {tab.text}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Pages key={status ?? "all"} status={status} />
    </section>
  );
}

function Pages({ status }: { status: Status | null }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <>
      {cursors.map((after, index) => (
        <ContractsPageOf
          key={after ?? "first"}
          status={status}
          after={after}
          first={index === 0}
          isLast={index === cursors.length - 1}
          onLoadMore={(cursor) => setCursors((current) => (current.includes(cursor) ? current : [...current, cursor]))}
        />
      ))}
    </>
  );
}

function ContractsPageOf({
  status,
  after,
  first,
  isLast,
  onLoadMore,
}: {
  status: Status | null;
  after: string | null;
  first: boolean;
  isLast: boolean;
  onLoadMore: (cursor: string) => void;
}) {
  const { t } = useTranslation("contracts");
  const [result, refetch] = useQuery({
    query: MyContractsQuery,
    variables: { statuses: status ? [status] : null, first: PAGE_SIZE, after },
    requestPolicy: "cache-and-network",
  });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const page = result.data?.myContracts;
  if (!page) return null;
  if (first && page.edges.length === 0) return <Empty>{status ? t("list.none") : t("list.noneAtAll")}</Empty>;
  return (
    <>
      <ul className="cards" aria-label={first ? t("list.label") : undefined}>
        {page.edges.map((edge) => (
          <li key={edge.node.id}>
            <ContractRow data={edge.node} />
          </li>
        ))}
      </ul>
      {isLast && page.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
        <LoadMore onLoadMore={() => onLoadMore(page.pageInfo.endCursor!)} />
      ) : null}
    </>
  );
}
