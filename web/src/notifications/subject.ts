// Where a notification leads: its subject is a Relay global id (base64 of "Type:id"), and each type has a page.

export type SubjectType = "Order" | "Contract" | "Bid";

export interface Subject {
  type: SubjectType;
  id: string;
}

/** The type a global id names, or null for an id this app has no page for (or that is not a global id). */
export function subjectOf(globalId: string | null | undefined): Subject | null {
  if (!globalId) return null;
  let decoded: string;
  try {
    decoded = atob(globalId);
  } catch {
    return null;
  }
  const type = decoded.slice(0, decoded.indexOf(":"));
  return type === "Order" || type === "Contract" || type === "Bid" ? { type, id: globalId } : null;
}

/** The page of an order or a contract; a bid is shown on its order's page (`orderId`, once known). */
export function subjectPath(subject: Subject, orderId?: string | null): string | null {
  switch (subject.type) {
    case "Order":
      return `/orders/${encodeURIComponent(subject.id)}`;
    case "Contract":
      return `/contracts/${encodeURIComponent(subject.id)}`;
    case "Bid":
      return orderId ? `/orders/${encodeURIComponent(orderId)}#bid-${encodeURIComponent(subject.id)}` : null;
  }
}
