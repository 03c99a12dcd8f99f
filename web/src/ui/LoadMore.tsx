// Infinite scroll over a cursor connection: the next page loads when this comes into view, and the
// button does the same for keyboards and for readers who stopped scrolling.
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

export function LoadMore({ onLoadMore }: { onLoadMore: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLButtonElement>(null);
  const latest = useRef(onLoadMore);
  latest.current = onLoadMore;
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) latest.current();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return (
    <button type="button" ref={ref} className="load-more" onClick={() => latest.current()}>
      {t("state.loadMore")}
    </button>
  );
}
