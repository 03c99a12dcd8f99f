// The bearer token of the signed-in person, kept in localStorage so that a reload stays signed in.
const KEY = "exchange.token";

export function loadToken(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function storeToken(token: string | null): void {
  try {
    if (token) window.localStorage.setItem(KEY, token);
    else window.localStorage.removeItem(KEY);
  } catch {
    // Private mode without storage: the session lasts as long as the tab.
  }
}
