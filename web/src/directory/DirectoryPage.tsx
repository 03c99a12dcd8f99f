// The public supplier directory: free text, facet chips and filters, all in the URL so a search can be shared.
import { useTranslation } from "react-i18next";
import { SupplierFilters, SupplierResults, SupplierSearchForm, useSupplierSearch } from "./SupplierSearch";

export function DirectoryPage() {
  const { t } = useTranslation("directory");
  const state = useSupplierSearch();
  return (
    <section>
      <h1>{t("directory.title")}</h1>
      <p className="lead">{t("directory.lead")}</p>
      {/* Keyed by the text in the URL: "Сбросить фильтры" and back/forward refill the box. */}
      <SupplierSearchForm key={state.search.query} state={state} />
      <div className="with-sidebar">
        <SupplierFilters state={state} />
        <div>
          <SupplierResults state={state} />
        </div>
      </div>
    </section>
  );
}
