// The frame of every page: skip link, header with navigation by role, language switch, and the content.
import { Suspense, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link, NavLink, Outlet, useNavigate } from "react-router";
import { useMutation } from "urql";
import { graphql } from "../graphql";
import { useAccountLanguage } from "../i18n/accountLanguage";
import { LanguageSwitch } from "../i18n/LanguageSwitch";
import { organisationsOf, useAuth, useViewer } from "../identity/AuthProvider";
import { EmailVerificationBanner } from "../identity/EmailVerificationBanner";
import { NotificationBell } from "../notifications/NotificationBell";
import { Loading } from "./States";

const SignOutMutation = graphql(`
  mutation SignOut {
    signOut {
      __typename
    }
  }
`);

export function Layout() {
  const { t } = useTranslation();
  const { token, signedOut } = useAuth();
  const { viewer, expired } = useViewer();
  // Signed in, the page reads the account's language (the header's switch saves a new choice to it).
  useAccountLanguage(viewer?.language);
  // Any page notices a token the API no longer knows: the session ends, and protected pages ask to sign in.
  useEffect(() => {
    if (expired) signedOut({ expired: true });
  }, [expired, signedOut]);
  const navigate = useNavigate();
  const [, signOut] = useMutation(SignOutMutation);
  const orgs = organisationsOf(viewer);

  async function onSignOut() {
    await signOut({});
    signedOut();
    navigate("/");
  }

  return (
    <>
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link to="/" className="brand">
            {t("appName")}
          </Link>
          <nav aria-label={t("nav.main")}>
            <ul>
              <li>
                <NavLink to="/suppliers">{t("nav.suppliers")}</NavLink>
              </li>
              <li>
                <NavLink to="/orders" end>
                  {t("nav.orders")}
                </NavLink>
              </li>
              {orgs.buyers.length > 0 ? (
                <li>
                  <NavLink to="/my/orders">{t("nav.myOrders")}</NavLink>
                </li>
              ) : null}
              {orgs.manufacturers.length > 0 ? (
                <>
                  <li>
                    <NavLink to="/my/bids">{t("nav.myBids")}</NavLink>
                  </li>
                  <li>
                    <NavLink to="/profile">{t("nav.profile")}</NavLink>
                  </li>
                </>
              ) : null}
              {viewer ? (
                <li>
                  <NavLink to="/contracts">{t("nav.contracts")}</NavLink>
                </li>
              ) : null}
              {viewer?.isOperator ? (
                <li>
                  <NavLink to="/operator">{t("operator:nav")}</NavLink>
                </li>
              ) : null}
              {viewer && orgs.all[0] ? (
                <li>
                  <NavLink to={`/company/${orgs.all[0].id}`}>{t("nav.company")}</NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
          <div className="header-tools">
            <LanguageSwitch />
            {token ? (
              <>
                {viewer ? <NotificationBell /> : null}
                {viewer ? (
                  <Link to="/account" className="viewer-name">
                    {viewer.fullName}
                  </Link>
                ) : null}
                <button type="button" className="link-button" onClick={onSignOut}>
                  {t("nav.signOut")}
                </button>
              </>
            ) : (
              <>
                <Link to="/sign-in">{t("nav.signIn")}</Link>
                <Link to="/sign-up" className="button primary">
                  {t("nav.signUp")}
                </Link>
              </>
            )}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {viewer && !viewer.emailVerified ? <EmailVerificationBanner /> : null}
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
