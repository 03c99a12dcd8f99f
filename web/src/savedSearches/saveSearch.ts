// The one saveSearch mutation, for the saved searches page and the order board's «Сохранить поиск»: what was saved, or
// the search kept before (a duplicate), or a refusal.
import { graphql } from "../graphql";
import { UserErrorFragment } from "../errors/userError";

export const SaveSearchMutation = graphql(
  `
    mutation SaveSearch($name: String!, $query: String!, $filter: OrderSearchFilterInput, $organisationId: ID) {
      saveSearch(name: $name, query: $query, filter: $filter, organisationId: $organisationId) {
        __typename
        ... on SavedSearchSuccess {
          savedSearch {
            id
            name
          }
        }
        ... on DuplicateSavedSearchError {
          existing {
            id
            name
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);
