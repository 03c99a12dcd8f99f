// A saved or deleted search changes the viewer's list: it is fetched again.
import type { UpdatesConfig } from "@urql/exchange-graphcache";

const succeeded = (result: Record<string, unknown>, field: string, typename: string) =>
  (result[field] as { __typename?: string } | null | undefined)?.__typename === typename;

export const updates: UpdatesConfig = {
  Mutation: {
    saveSearch(result, _args, cache) {
      if (succeeded(result, "saveSearch", "SavedSearchSuccess")) cache.invalidate("Query", "savedSearches");
    },
    deleteSavedSearch(result, _args, cache) {
      if (succeeded(result, "deleteSavedSearch", "DeleteSavedSearchSuccess")) cache.invalidate("Query", "savedSearches");
    },
  },
};
