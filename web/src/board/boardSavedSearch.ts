// The board's filters as a saved search holds them (text, processes, regions, certificates, materials), what of
// the board a saved search cannot hold (the sort: a saved search is told of new orders as they open), and the
// name offered for it, made of the filters: «Фрезерная обработка · Москва».
import type { EnumOf } from "../i18n/enums";

type Process = EnumOf<"Process">;
type Certification = EnumOf<"CertificationStandard">;

export interface BoardFilters {
  query: string;
  processes: readonly Process[];
  regions: readonly string[];
  certifications: readonly Certification[];
  materials: readonly string[];
  sort: string;
}

export interface SavedSearchInput {
  query: string;
  filter: { processes: Process[]; regions: string[]; certifications: Certification[]; materials: string[] };
}

/** What of the board a saved search cannot keep. */
export type Unsaved = "sort";

export function savedSearchOf(board: BoardFilters): { input: SavedSearchInput; unsaved: Unsaved[] } {
  return {
    input: {
      query: board.query.trim(),
      filter: {
        processes: [...board.processes],
        regions: [...board.regions],
        certifications: [...board.certifications],
        materials: [...board.materials],
      },
    },
    // With words in the search the board lists by relevance, and the sort is not in force.
    unsaved: board.sort !== "NEWEST" && !board.query ? ["sort"] : [],
  };
}

export interface Namers {
  process: (value: string) => string;
  region: (code: string) => string;
  certification: (value: string) => string;
  /** The name when nothing narrows the search. */
  everything: string;
}

export const NAME_MAX = 100;

/** «Фрезерная обработка · Москва»: the text in quotes, then each filter's values, within the name's 100 characters. */
export function suggestedName(input: SavedSearchInput, names: Namers): string {
  const { filter } = input;
  const parts = [
    input.query ? `«${input.query}»` : "",
    filter.processes.map(names.process).join(", "),
    filter.materials.join(", "),
    filter.regions.map(names.region).join(", "),
    filter.certifications.map(names.certification).join(", "),
  ].filter(Boolean);
  const name = parts.length ? parts.join(" · ") : names.everything;
  return name.length > NAME_MAX ? `${name.slice(0, NAME_MAX - 1).trimEnd()}…` : name;
}
