// Who is signed in: the token, the urql client made for it, and the viewer (`me`).
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { Provider, useQuery } from "urql";
import { createExchangeClient } from "../client/urql";
import { loadToken, storeToken } from "../client/session";
import { graphql, type ResultOf } from "../graphql";

export const ViewerQuery = graphql(`
  query Viewer {
    me {
      id
      fullName
      email
      emailVerified
      isOperator
      language
      memberships {
        role
        organisation {
          id
          name
          kind
          verified
        }
      }
    }
  }
`);

export type Viewer = NonNullable<ResultOf<typeof ViewerQuery>["me"]>;

interface Auth {
  token: string | null;
  /** The last session ended because the API no longer knew its token (expired or revoked). */
  expired: boolean;
  signedIn: (token: string) => void;
  signedOut: (options?: { expired?: boolean }) => void;
}

const AuthContext = createContext<Auth>({ token: null, expired: false, signedIn: () => {}, signedOut: () => {} });

export function AuthProvider({ children }: { children: React.ReactNode }) {
  const [token, setToken] = useState<string | null>(loadToken);
  const [expired, setExpired] = useState(false);
  const exchange = useMemo(() => createExchangeClient(token), [token]);
  useEffect(() => () => exchange.dispose(), [exchange]);
  const signedIn = useCallback((next: string) => {
    storeToken(next);
    setExpired(false);
    setToken(next);
  }, []);
  const signedOut = useCallback((options?: { expired?: boolean }) => {
    storeToken(null);
    setExpired(Boolean(options?.expired));
    setToken(null);
  }, []);
  // Another tab signed in or out: follow it.
  useEffect(() => {
    const onStorage = () => setToken(loadToken());
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, []);
  const auth = useMemo(() => ({ token, expired, signedIn, signedOut }), [token, expired, signedIn, signedOut]);
  return (
    <AuthContext.Provider value={auth}>
      {/* Keyed by the session: a sign-in or sign-out remounts the screens, so nothing read as one person
          (component state, a query's last result) survives into the next. */}
      <Provider value={exchange.client} key={token ?? "anonymous"}>
        {children}
      </Provider>
    </AuthContext.Provider>
  );
}

export function useAuth(): Auth {
  return useContext(AuthContext);
}

/** The signed-in person, or null (anonymous, or while loading: see `fetching`). */
export function useViewer() {
  const { token } = useAuth();
  const [result] = useQuery({ query: ViewerQuery, pause: !token });
  return {
    viewer: token ? (result.data?.me ?? null) : null,
    fetching: Boolean(token) && (result.fetching || (!result.data && !result.error)),
    /** A token is kept but the API no longer knows it: expired or revoked. */
    expired: Boolean(token) && Boolean(result.data) && result.data?.me === null,
  };
}

/** The organisations the viewer belongs to, by what they may do. */
export function organisationsOf(viewer: Viewer | null) {
  const all = viewer?.memberships.map((membership) => ({ ...membership.organisation, role: membership.role })) ?? [];
  return {
    all,
    buyers: all.filter((org) => org.kind === "BUYER" || org.kind === "BOTH"),
    manufacturers: all.filter((org) => org.kind === "MANUFACTURER" || org.kind === "BOTH"),
  };
}
