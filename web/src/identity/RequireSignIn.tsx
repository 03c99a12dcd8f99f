// Screens for signed-in people: without a session (or with an expired one) go to sign in and come back.
import { useEffect } from "react";
import { Navigate, useLocation } from "react-router";
import { Loading } from "../ui/States";
import { useAuth, useViewer, type Viewer } from "./AuthProvider";

export function signInPath(location: { pathname: string; search: string }, expired = false): string {
  const next = `next=${encodeURIComponent(location.pathname + location.search)}`;
  return `/sign-in?${next}${expired ? "&expired=1" : ""}`;
}

/** With a token, the screen renders at once: its queries and code load alongside `me` instead of after it (a
 * round trip less before a page is usable). If `me` says the token is dead, the session ends and the person is
 * sent to sign in. The API authorises every request itself; this only decides what to show. */
export function RequireSignIn({ children }: { children: (viewer: Viewer | null) => React.ReactNode }) {
  const location = useLocation();
  const { token, expired: sessionExpired, signedOut } = useAuth();
  const { viewer, expired } = useViewer();
  useEffect(() => {
    if (expired) signedOut({ expired: true });
  }, [expired, signedOut]);
  if (expired) return <Loading />;
  if (!token) return <Navigate to={signInPath(location, sessionExpired)} replace />;
  return <>{children(viewer)}</>;
}
