// A one-line confirmation carried to the next screen in the router's location state ("Черновик сохранён").
export interface Notice {
  key: "draftSaved" | "published" | "cancelled";
  title: string;
}

export function noticeOf(state: unknown): Notice | null {
  const notice = (state as { notice?: Partial<Notice> } | null)?.notice;
  return notice && typeof notice.title === "string" && typeof notice.key === "string" ? (notice as Notice) : null;
}
