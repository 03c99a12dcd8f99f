// Messages between the two parties, oldest first, with the attachments the API lists; the form posts one.
// New messages arrive through the room's contractUpdated subscription (the room re-reads this list).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { graphql } from "../graphql";
import { useFormat } from "../i18n/format";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { LoadMore } from "../ui/LoadMore";
import { LoadError, Loading } from "../ui/States";
import { UserErrorFragment } from "../errors/userError";

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
            }
          }
        }
      }
    }
  `);

const PostMessage = graphql(
  `
    mutation PostContractMessage($contractId: ID!, $body: String!) {
      postContractMessage(contractId: $contractId, body: $body) {
        __typename
        ... on ContractMessageSuccess {
          contractMessage {
            id
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

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
      {canWrite ? <MessageForm contractId={contractId} onPosted={() => setPosted((n) => n + 1)} /> : <p className="muted">{t("messages.operatorReads")}</p>}
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
              <ul className="attachments" aria-label={t("messages.attachments")}>
                {message.attachments.map((file) => (
                  <li key={file.checksum}>
                    {file.name}{" "}
                    <span className="muted">
                      ({t("messages.size", { size: format.number(Math.max(1, Math.round(file.sizeBytes / 1024))) })})
                    </span>
                  </li>
                ))}
              </ul>
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

function MessageForm({ contractId, onPosted }: { contractId: string; onPosted: () => void }) {
  const { t } = useTranslation("contracts");
  const [body, setBody] = useState("");
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [sent, setSent] = useState("");
  const [{ fetching }, post] = useMutation(PostMessage);
  const form = "message";
  return (
    <form
      className="message-form"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        const result = await post({ contractId, body }, { additionalTypenames: ["ContractMessage"] });
        const payload = result.data?.postContractMessage;
        const refusal = userErrorOf(payload);
        setError(refusal ?? (result.error ? { message: result.error.message } : null));
        if (payload?.__typename === "ContractMessageSuccess") {
          setBody("");
          setSent(t("messages.sent"));
          onPosted();
        }
      }}
    >
      <ErrorSummary form={form} error={error} />
      <Field form={form} name="body" label={t("messages.label")} error={error}>
        {(props) => <textarea {...props} rows={3} value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      <p className="actions">
        <button type="submit" className="primary" disabled={fetching}>
          {t("messages.send")}
        </button>
        <span role="status" aria-live="polite" className="muted">
          {sent}
        </span>
      </p>
    </form>
  );
}
