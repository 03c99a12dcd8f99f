// A saved search opened on the order board: its text and filters as the board's query parameters
// (q, then process, region, cert and material, each repeated), so the link shows the same search.

export interface SavedSearchFilters {
  query: string;
  filter: {
    processes: readonly string[];
    regions: readonly string[];
    certifications: readonly string[];
    materials: readonly string[];
  };
}

export function boardUrl(search: SavedSearchFilters): string {
  const params = new URLSearchParams();
  if (search.query) params.set("q", search.query);
  search.filter.processes.forEach((process) => params.append("process", process));
  search.filter.regions.forEach((region) => params.append("region", region));
  search.filter.certifications.forEach((cert) => params.append("cert", cert));
  search.filter.materials.forEach((material) => params.append("material", material));
  const query = params.toString();
  return query ? `/orders?${query}` : "/orders";
}
