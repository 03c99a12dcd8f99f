// The bell in the header: the unread count, kept live by the notificationAdded subscription (the cache
// updaters in ./cache.ts refresh the count and the inbox when one arrives), and a link to the inbox.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";
import { useQuery, useSubscription } from "urql";
import { NotificationAddedSubscription, UnreadCountQuery } from "./documents";
import { useNotificationWording } from "./wording";

export function NotificationBell() {
  const { t } = useTranslation("notifications");
  const [count] = useQuery({ query: UnreadCountQuery });
  const word = useNotificationWording();
  const [latest, setLatest] = useState<string | null>(null);
  useSubscription({ query: NotificationAddedSubscription }, (_previous, event) => {
    const added = event.notificationAdded;
    if (added.__typename === "NotificationAdded") setLatest(word(added.notification).title);
    return event;
  });
  const unread = count.data?.unreadNotificationCount ?? 0;
  return (
    <>
      <NavLink
        to="/notifications"
        end
        className={unread > 0 ? "bell bell-unread" : "bell"}
        aria-label={unread > 0 ? t("bell.unread", { count: unread }) : t("bell.none")}
      >
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {unread > 0 ? (
          <span className="bell-count" aria-hidden="true">
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </NavLink>
      <span className="visually-hidden" role="status" aria-live="polite">
        {latest ? t("bell.arrived", { title: latest }) : ""}
      </span>
    </>
  );
}
