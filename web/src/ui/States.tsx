// Loading, empty and error states: every screen shows one of these before its content.
import type { CombinedError } from "urql";
import { useTranslation } from "react-i18next";

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      {t("state.loading")}
    </p>
  );
}

export function Empty({ children }: { children?: React.ReactNode }) {
  const { t } = useTranslation();
  return <p className="state state-empty">{children ?? t("state.empty")}</p>;
}

export function LoadError({ error, retry }: { error?: CombinedError; retry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="state state-error" role="alert">
      <p>{t("state.error")}</p>
      {error?.networkError ? <p className="muted">{error.networkError.message}</p> : null}
      {retry ? (
        <button type="button" onClick={retry}>
          {t("state.retry")}
        </button>
      ) : null}
    </div>
  );
}
