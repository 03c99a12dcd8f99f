// Shown to the organisation's admins when its stored legal id fails today's check (it signed up before the check):
// what is wrong, why it matters, and where to correct it. Whether it fails is the API's answer (legalIdValid).
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useLegalIdName } from "../ui/LegalId";

export const LegalIdNoticeFragment = graphql(`
  fragment LegalIdNotice on Organisation {
    legalId
    legalIdKind
    legalIdValid
    legalDetails {
      inn
    }
  }
`);

export function LegalIdNotice({
  data,
  onCorrect,
}: {
  data: FragmentOf<typeof LegalIdNoticeFragment>;
  onCorrect: () => void;
}) {
  const { t } = useTranslation("identity");
  const { name } = useLegalIdName();
  const organisation = readFragment(LegalIdNoticeFragment, data);
  if (organisation.legalIdValid) return null;
  return (
    <div className="notice" role="status" data-testid="legal-id-notice">
      <p>
        <strong>
          {t("company.invalidLegalId", { name: name(organisation.legalIdKind), legalId: organisation.legalId })}
        </strong>
      </p>
      <p>{t("company.invalidLegalIdWhy")}</p>
      {organisation.legalDetails ? (
        <p>{t("company.invalidLegalIdInDetails")}</p>
      ) : (
        <p>
          <button type="button" className="primary" onClick={onCorrect}>
            {t("company.correctLegalId")}
          </button>
        </p>
      )}
    </div>
  );
}
