// The inbox: newest first, all or unread only (?unread=1), pages loaded as the reader scrolls. Each
// notification links to what it is about; opening it marks it read. New ones arrive live (./cache.ts).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { graphql, type ResultOf } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { ErrorSummary, userErrorOf, type UserErrorLike } from "../ui/forms";
import { LoadMore } from "../ui/LoadMore";
import { Empty, LoadError, Loading } from "../ui/States";
import { subjectOf, subjectPath } from "./subject";
import { NotificationsQuery } from "./documents";
import { useNotificationWording } from "./wording";
import { UserErrorFragment } from "../errors/userError";

const PAGE_SIZE = 20;

const MarkReadMutation = graphql(
  `
    mutation MarkNotificationsRead($ids: [ID!]) {
      markNotificationsRead(ids: $ids) {
        __typename
        ... on MarkNotificationsReadSuccess {
          marked
          unreadCount
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

// A bid is shown on its order's page: which order, the API says (the bid is visible to its bidder and buyer).
const BidOrderQuery = graphql(`
  query BidOrder($id: ID!) {
    node(id: $id) {
      id
      ... on Bid {
        order {
          id
        }
      }
    }
  }
`);

type Notification = ResultOf<typeof NotificationsQuery>["notifications"]["edges"][number]["node"];

export function NotificationsPage() {
  const { t } = useTranslation("notifications");
  const [params] = useSearchParams();
  const unreadOnly = params.get("unread") === "1";
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [markState, markRead] = useMutation(MarkReadMutation);
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function mark(ids: string[] | null): Promise<boolean> {
    setError(null);
    const result = await markRead({ ids });
    const payload = result.data?.markNotificationsRead;
    if (payload?.__typename === "MarkNotificationsReadSuccess") return true;
    setError(userErrorOf(payload) ?? (result.error ? { message: result.error.message } : null));
    return false;
  }

  return (
    <section>
      <header className="page-header">
        <h1>{t("inbox.title")}</h1>
        <p className="actions">
          <Link to="/notifications/settings">{t("inbox.settings")}</Link>
          <Link to="/saved-searches">{t("inbox.savedSearches")}</Link>
        </p>
      </header>
      <div className="toolbar">
        <nav aria-label={t("inbox.filter")} className="tabs">
          <ul>
            <li>
              <Link to="/notifications" aria-current={unreadOnly ? undefined : "page"} className={unreadOnly ? "" : "active"}>
                {t("inbox.all")}
              </Link>
            </li>
            <li>
              <Link
                to="/notifications?unread=1"
                aria-current={unreadOnly ? "page" : undefined}
                className={unreadOnly ? "active" : ""}
              >
                {t("inbox.unread")}
              </Link>
            </li>
          </ul>
        </nav>
        <button
          type="button"
          disabled={markState.fetching}
          onClick={async () => {
            setNotice(null);
            if (await mark(null)) setNotice(t("inbox.markedAll"));
          }}
        >
          {t("inbox.markAll")}
        </button>
      </div>
      <div aria-live="polite">
        {notice ? (
          <p className="success" role="status">
            {notice}
          </p>
        ) : null}
      </div>
      <ErrorSummary form="notifications" error={error} />
      {/* Keyed by the filter: a change starts again from the first page. */}
      <div key={String(unreadOnly)}>
        {cursors.map((after, index) => (
          <InboxPage
            key={after ?? "first"}
            unreadOnly={unreadOnly}
            after={after}
            first={index === 0}
            isLast={index === cursors.length - 1}
            mark={mark}
            onLoadMore={(cursor) => setCursors((current) => (current.includes(cursor) ? current : [...current, cursor]))}
          />
        ))}
      </div>
    </section>
  );
}

function InboxPage({
  unreadOnly,
  after,
  first,
  isLast,
  mark,
  onLoadMore,
}: {
  unreadOnly: boolean;
  after: string | null;
  first: boolean;
  isLast: boolean;
  mark: (ids: string[] | null) => Promise<boolean>;
  onLoadMore: (cursor: string) => void;
}) {
  const { t } = useTranslation("notifications");
  const [result, refetch] = useQuery({
    query: NotificationsQuery,
    variables: { unreadOnly, first: PAGE_SIZE, after },
  });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error && !result.data)
    return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const page = result.data?.notifications;
  if (!page) return null;
  if (first && page.edges.length === 0) return <Empty>{unreadOnly ? t("inbox.emptyUnread") : t("inbox.empty")}</Empty>;
  return (
    <>
      <ol className="cards notifications" aria-label={first ? t("inbox.title") : undefined}>
        {page.edges.map(({ node }) => (
          <li key={node.id}>
            <NotificationItem notification={node} mark={mark} />
          </li>
        ))}
      </ol>
      {isLast && page.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
        <LoadMore onLoadMore={() => onLoadMore(page.pageInfo.endCursor!)} />
      ) : null}
    </>
  );
}

function NotificationItem({
  notification,
  mark,
}: {
  notification: Notification;
  mark: (ids: string[] | null) => Promise<boolean>;
}) {
  const { t } = useTranslation("notifications");
  const format = useFormat();
  const { label } = useLabels();
  const navigate = useNavigate();
  const { title, body } = useNotificationWording()(notification);
  const subject = subjectOf(notification.subjectId);
  const [bid] = useQuery({
    query: BidOrderQuery,
    variables: { id: subject?.id ?? "" },
    pause: subject?.type !== "Bid",
  });
  const bidNode = bid.data?.node;
  const orderId = bidNode && "order" in bidNode ? bidNode.order?.id : null;
  const path = subject ? subjectPath(subject, orderId) : null;

  function open(event: React.MouseEvent<HTMLAnchorElement>) {
    if (notification.read || !path) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) {
      // Opened elsewhere (a new tab): this page stays, and the notification is read all the same.
      void mark([notification.id]);
      return;
    }
    event.preventDefault();
    void mark([notification.id]).then(() => navigate(path));
  }

  return (
    <article className={notification.read ? "card notification" : "card notification notification-unread"}>
      <p className="notification-meta">
        <span className="badge">{label("NotificationKind", notification.kind)}</span>
        {notification.read ? null : <span className="badge badge-warn">{t("inbox.new")}</span>}
        <time dateTime={notification.createdAt} title={format.dateTime(notification.createdAt)}>
          {format.relative(notification.createdAt)}
        </time>
      </p>
      <h2 className="notification-title">
        {path ? (
          <Link to={path} onClick={open}>
            {title}
          </Link>
        ) : (
          title
        )}
      </h2>
      {body ? <p className="notification-body">{body}</p> : null}
      {notification.read ? null : (
        <button
          type="button"
          className="link-button"
          aria-label={t("inbox.markReadLabel", { title })}
          onClick={() => void mark([notification.id])}
        >
          {t("inbox.markRead")}
        </button>
      )}
    </article>
  );
}
