import { useTranslation } from "react-i18next";
import { Link } from "react-router";

export function HomePage() {
  const { t } = useTranslation();
  return (
    <section className="hero">
      <h1>{t("home.title")}</h1>
      <p className="lead">{t("home.lead")}</p>
      <p className="actions">
        <Link className="button primary" to="/suppliers">
          {t("home.findSuppliers")}
        </Link>
        <Link className="button" to="/orders">
          {t("home.browseOrders")}
        </Link>
        <Link className="button" to="/orders/new">
          {t("home.postOrder")}
        </Link>
      </p>
    </section>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t("state.notFound")}</h1>
      <Link to="/">{t("state.notFoundLink")}</Link>
    </section>
  );
}
