import { afterEach, describe, expect, it } from "vitest";
import { loadStripeJs, refusalOf, type StripeFactory } from "./stripeJs";

function scriptsFor(url: string): HTMLScriptElement[] {
  return [...document.querySelectorAll<HTMLScriptElement>("script")].filter((script) => script.src === url);
}

describe("loadStripeJs", () => {
  afterEach(() => {
    delete window.Stripe;
    document.head.innerHTML = "";
  });

  it("adds the script once per address and resolves with the Stripe it defines", async () => {
    const url = "http://127.0.0.1:9/js.stripe.com/v3/";
    const first = loadStripeJs(url);
    const second = loadStripeJs(url);
    expect(scriptsFor(url)).toHaveLength(1);
    const factory = (() => ({})) as unknown as StripeFactory;
    window.Stripe = factory;
    scriptsFor(url)[0].dispatchEvent(new Event("load"));
    await expect(first).resolves.toBe(factory);
    await expect(second).resolves.toBe(factory);
  });

  it("rejects when the script cannot load, and tries again on the next call", async () => {
    const url = "http://127.0.0.1:9/unreachable/v3/";
    const failed = loadStripeJs(url);
    scriptsFor(url)[0].dispatchEvent(new Event("error"));
    await expect(failed).rejects.toThrow(`could not load ${url}`);
    expect(scriptsFor(url)).toHaveLength(0);
    void loadStripeJs(url).catch(() => undefined);
    expect(scriptsFor(url)).toHaveLength(1);
  });

  it("rejects when the script loads but defines no Stripe", async () => {
    const url = "http://127.0.0.1:9/not-stripe.js";
    const loaded = loadStripeJs(url);
    scriptsFor(url)[0].dispatchEvent(new Event("load"));
    await expect(loaded).rejects.toThrow("did not define Stripe");
  });
});

describe("refusalOf", () => {
  it("is null when the payment went through or is under way", () => {
    expect(refusalOf({ paymentIntent: { id: "pi_1", status: "succeeded" } })).toBeNull();
    expect(refusalOf({ paymentIntent: { id: "pi_1", status: "processing" } })).toBeNull();
  });

  it("gives Stripe's reason for an error or an intent sent back for another card", () => {
    expect(refusalOf({ error: { message: "Your card was declined.", code: "card_declined" } })).toBe(
      "Your card was declined.",
    );
    expect(
      refusalOf({
        paymentIntent: {
          id: "pi_1",
          status: "requires_payment_method",
          last_payment_error: { message: "The provided PaymentMethod has failed authentication." },
        },
      }),
    ).toBe("The provided PaymentMethod has failed authentication.");
    expect(refusalOf({ paymentIntent: { id: "pi_1", status: "requires_action" } })).toBe("requires_action");
    expect(refusalOf({})).toBe("");
  });
});
