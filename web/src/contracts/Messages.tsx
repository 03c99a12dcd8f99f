// Messages between the two parties, oldest first, with their files (MessageAttachments: name, format, size, a
// download); the composer (MessageComposer) posts one, with files or without. New messages, files and all, arrive
// through the room's contractUpdated subscription (the room re-reads this list).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { graphql } from "../graphql";
import { useFormat } from "../i18n/format";
import { LoadMore } from "../ui/LoadMore";
import { LoadError, Loading } from "../ui/States";
import { MessageAttachments } from "./MessageAttachments";
import { MessageComposer } from "./MessageComposer";
import "./messages.css";

export const ContractMessagesQuery = graphql(
  `
    query ContractMessages($contractId: ID!, $first: Int!, $after: String) {
      contractMessages(contractId: $contractId, first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            body
            createdAt
            fromYourOrganisation
            author {
              id
              name
            }
            attachments {
              name
              sizeBytes
              contentType
              checksum
              stored
            }
          }
        }
      }
    }
  `);

const PAGE_SIZE = 50;

export function Messages({ contractId, canWrite, version }: { contractId: string; canWrite: boolean; version: number }) {
  const { t } = useTranslation("contracts");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [posted, setPosted] = useState(0);
  return (
    <section aria-labelledby="messages-title" className="contract-messages">
      <h2 id="messages-title">{t("messages.title")}</h2>
      {cursors.map((after, index) => (
        <MessagesPage
          key={`${after ?? "first"}-${index === cursors.length - 1 ? `${version}-${posted}` : 0}`}
          contractId={contractId}
          after={after}
          first={index === 0}
          isLast={index === cursors.length - 1}
          onLoadMore={(cursor) => setCursors((current) => (current.includes(cursor) ? current : [...current, cursor]))}
        />
      ))}
      {canWrite ? <MessageComposer contractId={contractId} onPosted={() => setPosted((n) => n + 1)} /> : <p className="muted">{t("messages.operatorReads")}</p>}
    </section>
  );
}

function MessagesPage({
  contractId,
  after,
  first,
  isLast,
  onLoadMore,
}: {
  contractId: string;
  after: string | null;
  first: boolean;
  isLast: boolean;
  onLoadMore: (cursor: string) => void;
}) {
  const { t } = useTranslation("contracts");
  const format = useFormat();
  const [result, refetch] = useQuery({
    query: ContractMessagesQuery,
    variables: { contractId, first: PAGE_SIZE, after },
    requestPolicy: "cache-and-network",
  });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const page = result.data?.contractMessages;
  if (!page) return null;
  if (first && page.edges.length === 0) return <p className="muted">{t("messages.empty")}</p>;
  return (
    <>
      <ol className="messages" aria-label={first ? t("messages.title") : undefined}>
        {page.edges.map(({ node: message }) => (
          <li key={message.id} className={message.fromYourOrganisation ? "message message-mine" : "message"}>
            <p className="message-meta muted">
              <strong>{message.fromYourOrganisation ? t("messages.you") : message.author.name}</strong> ·{" "}
              <time dateTime={message.createdAt}>{format.dateTime(message.createdAt)}</time>
            </p>
            {message.body ? <p className="message-body">{message.body}</p> : null}
            {message.attachments.length > 0 ? (
              <MessageAttachments messageId={message.id} attachments={message.attachments} />
            ) : null}
          </li>
        ))}
      </ol>
      {isLast && page.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
        <LoadMore onLoadMore={() => onLoadMore(page.pageInfo.endCursor!)} />
      ) : null}
    </>
  );
}
