// The manufacturer's own profile: which organisation (for people in several), and its three sections.
// Which organisations may be edited is the API's call: a refused change shows the API's error.
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, NavLink, Outlet, useOutletContext, useSearchParams } from "react-router";
import { organisationsOf, useViewer } from "../identity/AuthProvider";
import { Empty, Loading } from "../ui/States";

export interface ProfileContext {
  organisationId: string;
  organisationName: string;
}

/** The organisation a profile section shows, chosen in the layout. */
export function useProfileOrganisation(): ProfileContext {
  return useOutletContext<ProfileContext>();
}

export function ProfileLayout() {
  const { t } = useTranslation("profile");
  const { viewer } = useViewer();
  const [params, setParams] = useSearchParams();
  const all = organisationsOf(viewer);
  const manufacturers = all.manufacturers;
  if (manufacturers.length === 0) {
    return (
      <section>
        <h1>{t("profile.title")}</h1>
        <Empty>{t("profile.noManufacturer")}</Empty>
        {all.all[0] ? <Link to={`/company/${all.all[0].id}`}>{t("profile.companyPage")}</Link> : null}
      </section>
    );
  }
  const chosen = manufacturers.find((org) => org.id === params.get("org")) ?? manufacturers[0];
  const search = manufacturers.length > 1 ? `?org=${encodeURIComponent(chosen.id)}` : "";
  const context: ProfileContext = { organisationId: chosen.id, organisationName: chosen.name };
  return (
    <section>
      <header className="page-header">
        <h1>{t("profile.title")}</h1>
        {manufacturers.length > 1 ? (
          <div className="field">
            <label htmlFor="profile-organisation">{t("profile.organisation")}</label>
            <select
              id="profile-organisation"
              value={chosen.id}
              onChange={(event) => {
                const next = new URLSearchParams(params);
                next.set("org", event.target.value);
                setParams(next);
              }}
            >
              {manufacturers.map((org) => (
                <option key={org.id} value={org.id}>
                  {org.name}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <p className="lead">{chosen.name}</p>
        )}
        <p>
          <Link to={`/suppliers/${chosen.id}`}>{t("profile.publicPage")}</Link>
        </p>
      </header>
      <nav aria-label={t("profile.sections")} className="tabs">
        <ul>
          <li>
            <NavLink to={`/profile${search}`} end>
              {t("profile.capabilities")}
            </NavLink>
          </li>
          <li>
            <NavLink to={`/profile/certificates${search}`}>{t("profile.certificates")}</NavLink>
          </li>
          <li>
            <NavLink to={`/profile/capacity${search}`}>{t("profile.capacity")}</NavLink>
          </li>
        </ul>
      </nav>
      {/* Keyed by the organisation: a form half-filled for one never shows under another's name. */}
      <Suspense fallback={<Loading />}>
        <Outlet key={chosen.id} context={context} />
      </Suspense>
    </section>
  );
}
