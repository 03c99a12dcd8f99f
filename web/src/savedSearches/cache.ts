// A saved or deleted search changes the viewer's list and which of the board's filters are already saved
// (savedSearchesMatching, one entry per text and filters asked about): both are fetched again. A duplicate refusal
// says the list moved under the person (saved elsewhere meanwhile), so it refreshes them too.
import type { Cache, UpdatesConfig } from "@urql/exchange-graphcache";

const answered = (result: Record<string, unknown>, field: string, ...typenames: string[]) =>
  typenames.includes((result[field] as { __typename?: string } | null | undefined)?.__typename ?? "");

function forgetSavedSearches(cache: Cache) {
  cache.invalidate("Query", "savedSearches");
  for (const field of cache.inspectFields("Query")) {
    if (field.fieldName === "savedSearchesMatching") cache.invalidate("Query", field.fieldName, field.arguments ?? {});
  }
}

export const updates: UpdatesConfig = {
  Mutation: {
    saveSearch(result, _args, cache) {
      if (answered(result, "saveSearch", "SavedSearchSuccess", "DuplicateSavedSearchError")) forgetSavedSearches(cache);
    },
    deleteSavedSearch(result, _args, cache) {
      if (answered(result, "deleteSavedSearch", "DeleteSavedSearchSuccess")) forgetSavedSearches(cache);
    },
  },
};
