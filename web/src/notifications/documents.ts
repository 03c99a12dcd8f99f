// The documents the bell, the inbox and the cache updaters share.
import { graphql } from "../graphql";

export const UnreadCountQuery = graphql(`
  query UnreadNotificationCount {
    unreadNotificationCount
  }
`);

export const NotificationAddedSubscription = graphql(`
  subscription NotificationAdded {
    notificationAdded {
      __typename
      ... on NotificationAdded {
        notification {
          id
          kind
          title
          read
        }
      }
    }
  }
`);

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
