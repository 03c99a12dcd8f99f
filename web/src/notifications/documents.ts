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
