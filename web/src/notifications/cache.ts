// What notifications change in the normalised cache. A new one (the notificationAdded subscription) makes
// the unread count and the inbox's pages stale, so they are fetched again; marking read updates the
// notifications named and takes the count the API returns.
import type { UpdatesConfig } from "@urql/exchange-graphcache";
import { invalidateField } from "../client/updates";
import { NotificationPreferencesQuery, NotificationReadFragment, UnreadCountQuery } from "./documents";

interface MarkRead {
  __typename: string;
  unreadCount?: number;
}

interface PreferencesSet {
  __typename: string;
  preferences?: { __typename?: string; kind: string; email: boolean }[];
}

export const updates: UpdatesConfig = {
  Subscription: {
    notificationAdded(result, _args, cache) {
      // Only a new notification changes them; the subscription's first result, `Watching`, is the catch-up's to
      // re-read (../client/catchUp.ts). Invalidating on it as well sent a second read of each, and hid the answer of a
      // read already in flight (graphcache lays a later subscription's invalidation over an earlier query's answer).
      if ((result.notificationAdded as { __typename?: string } | null)?.__typename !== "NotificationAdded") return;
      cache.invalidate("Query", "unreadNotificationCount");
      invalidateField(cache, "Query", "notifications");
    },
  },
  Mutation: {
    markNotificationsRead(result, args, cache) {
      const payload = result.markNotificationsRead as MarkRead | undefined;
      if (payload?.__typename !== "MarkNotificationsReadSuccess") return;
      cache.updateQuery({ query: UnreadCountQuery }, () => ({ unreadNotificationCount: payload.unreadCount ?? 0 }));
      const ids = args.ids as string[] | null | undefined;
      const readAt = new Date().toISOString();
      for (const id of ids ?? []) {
        // Only a notification already in the cache: writing a new one would make a partial entity.
        if (cache.resolve({ __typename: "Notification", id }, "id") === id)
          cache.writeFragment(NotificationReadFragment, { id, read: true, readAt });
      }
      // Everything read, or some gone from the unread-only lists: those lists are fetched again.
      invalidateField(cache, "Query", "notifications", (fieldArgs) => !ids || fieldArgs.unreadOnly === true);
    },
    setNotificationPreference(result, _args, cache) {
      const payload = result.setNotificationPreference as PreferencesSet | undefined;
      if (payload?.__typename !== "NotificationPreferencesSuccess" || !payload.preferences) return;
      const preferences = payload.preferences.map(({ kind, email }) => ({
        __typename: "NotificationPreference" as const,
        kind,
        email,
      }));
      cache.updateQuery({ query: NotificationPreferencesQuery }, () => ({ notificationPreferences: preferences }) as never);
    },
  },
};
