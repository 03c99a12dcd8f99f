// Stripe.js, loaded from the address the API gives (EXCHANGE_STRIPE_JS_URL): Stripe's own script in production,
// localstripe's stand-in in the browser tests. Not @stripe/stripe-js: its loadStripe() always injects
// https://js.stripe.com/v3 and cannot be pointed elsewhere, and the few calls used here are typed below.

/** The part of Stripe.js this app calls: the Card Element and confirmCardPayment. */
export interface StripeCardElement {
  mount(target: HTMLElement | string): void;
  destroy(): void;
  on(event: "change", handler: (event?: { complete?: boolean; error?: { message: string } }) => void): void;
}

export interface StripeError {
  message?: string;
  code?: string;
  decline_code?: string;
}

export interface StripePaymentIntent {
  id: string;
  status: string;
  last_payment_error?: { message?: string; code?: string } | null;
}

export interface ConfirmCardPaymentResult {
  error?: StripeError | null;
  paymentIntent?: StripePaymentIntent;
}

export interface StripeInstance {
  elements(options?: { locale?: string }): {
    create(type: "card", options?: { hidePostalCode?: boolean }): StripeCardElement;
  };
  confirmCardPayment(
    clientSecret: string,
    data: { payment_method: { card: StripeCardElement } },
  ): Promise<ConfirmCardPaymentResult>;
}

export type StripeFactory = (publishableKey: string, options?: { locale?: string }) => StripeInstance;

declare global {
  interface Window {
    Stripe?: StripeFactory;
  }
}

const loading = new Map<string, Promise<StripeFactory>>();

/** Adds the script once per address and resolves with the global `Stripe` it defines. A failed load is
 * forgotten, so that trying again adds the script again. */
export function loadStripeJs(url: string): Promise<StripeFactory> {
  const known = loading.get(url);
  if (known) return known;
  const promise = new Promise<StripeFactory>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.async = true;
    script.onload = () => {
      if (typeof window.Stripe === "function") resolve(window.Stripe);
      else reject(new Error(`${url} did not define Stripe`));
    };
    script.onerror = () => {
      script.remove();
      reject(new Error(`could not load ${url}`));
    };
    document.head.appendChild(script);
  });
  promise.catch(() => loading.delete(url));
  loading.set(url, promise);
  return promise;
}

/** Why a confirmation did not take the money, in Stripe's words; null when it did (or is under way). */
export function refusalOf(result: ConfirmCardPaymentResult): string | null {
  if (result.error) return result.error.message ?? result.error.code ?? "";
  const intent = result.paymentIntent;
  if (!intent) return "";
  if (intent.status === "succeeded" || intent.status === "processing") return null;
  return intent.last_payment_error?.message ?? intent.status;
}
