// The operator's console: its sections, for operators only. Anyone else is told plainly that this is not for
// them (the API refuses them anyway: its operator queries answer null).
import { useTranslation } from "react-i18next";
import { Link, NavLink, Outlet } from "react-router";
import { useViewer } from "../identity/AuthProvider";
import { Loading } from "../ui/States";

export function OperatorLayout() {
  const { t } = useTranslation("operator");
  const { viewer } = useViewer();
  if (!viewer) return <Loading />;
  if (!viewer.isOperator) return <NotForYou />;
  return (
    <div className="operator">
      <nav aria-label={t("sections")} className="tabs">
        <ul>
          <li>
            <NavLink to="/operator" end>
              {t("overview")}
            </NavLink>
          </li>
          <li>
            <NavLink to="/operator/verification">{t("verification")}</NavLink>
          </li>
          <li>
            <NavLink to="/operator/payments">{t("payments")}</NavLink>
          </li>
          <li>
            <NavLink to="/operator/card-payments">{t("cardPayments")}</NavLink>
          </li>
          <li>
            <NavLink to="/operator/disputes">{t("disputesNav")}</NavLink>
          </li>
          <li>
            <NavLink to="/operator/taxes">{t("taxesNav")}</NavLink>
          </li>
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}

export function NotForYou() {
  const { t } = useTranslation("operator");
  return (
    <section className="refusal" role="alert">
      <h1>{t("refused.title")}</h1>
      <p>{t("refused.body")}</p>
      <p>
        <Link to="/">{t("refused.home")}</Link>
      </p>
    </section>
  );
}
