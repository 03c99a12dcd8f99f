import { describe, expect, it } from "vitest";
import { subjectOf, subjectPath } from "./subject";

const id = (type: string) => btoa(`${type}:0b8d3a4e-6d2c-4f7a-9b1e-2f0c5d6e7a8b`);

describe("subjectOf and subjectPath", () => {
  it("send an order and a contract to their pages, by global id", () => {
    expect(subjectPath(subjectOf(id("Order"))!)).toBe(`/orders/${encodeURIComponent(id("Order"))}`);
    expect(subjectPath(subjectOf(id("Contract"))!)).toBe(`/contracts/${encodeURIComponent(id("Contract"))}`);
  });

  it("send a bid to its order's page once the order is known", () => {
    const bid = subjectOf(id("Bid"))!;
    expect(subjectPath(bid)).toBeNull();
    expect(subjectPath(bid, id("Order"))).toBe(
      `/orders/${encodeURIComponent(id("Order"))}#bid-${encodeURIComponent(id("Bid"))}`,
    );
  });

  it("know nothing of other types and of ids that are not global ids", () => {
    expect(subjectOf(id("Review"))).toBeNull();
    expect(subjectOf("not base64 at all!")).toBeNull();
    expect(subjectOf(null)).toBeNull();
  });
});
