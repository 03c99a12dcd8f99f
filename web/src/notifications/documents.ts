// The documents the bell, the inbox and the cache updaters share.
import { graphql } from "../graphql";
import { NotificationWordingFragment } from "./wording";

export const UnreadCountQuery = graphql(`
  query UnreadNotificationCount {
    unreadNotificationCount
  }
`);

export const NotificationAddedSubscription = graphql(
  `
    subscription NotificationAdded {
      notificationAdded {
        __typename
        ... on NotificationAdded {
          notification {
            id
            kind
            read
            ...NotificationWording
          }
        }
      }
    }
  `,
  [NotificationWordingFragment],
);

/** The inbox, a page at a time (newest first; all or unread only). */
export const NotificationsQuery = graphql(
  `
    query Notifications($unreadOnly: Boolean!, $first: Int!, $after: String) {
      notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            id
            kind
            subjectId
            createdAt
            read
            readAt
            ...NotificationWording
          }
        }
      }
    }
  `,
  [NotificationWordingFragment],
);

export const NotificationReadFragment = graphql(`
  fragment NotificationRead on Notification {
    id
    read
    readAt
  }
`);

export const NotificationPreferencesQuery = graphql(`
  query NotificationPreferences {
    notificationPreferences {
      kind
      email
    }
  }
`);
