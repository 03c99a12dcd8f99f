// An organisation's legal details (реквизиты) as facts: the one shape of them in the web app, read wherever they are
// shown — the company page (LegalDetailsSection, whose form starts from them) and the operator's check
// (operator/LegalDetailsToCheck), who compares every one of them with the state register and the bank directory.
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf, type ResultOf } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";

export const LegalDetailsFactsFragment = graphql(`
  fragment LegalDetailsFacts on LegalDetails {
    inn
    kpp
    ogrn
    entityKind
    legalAddress
    postalAddress
    signatoryName
    signatoryPosition
    signatoryBasis
    powerOfAttorneyNumber
    powerOfAttorneyDate
    bankName
    bik
    settlementAccount
    correspondentAccount
    checkedAt
    updatedAt
  }
`);

export type LegalDetails = ResultOf<typeof LegalDetailsFactsFragment>;

export function readLegalDetails(data: FragmentOf<typeof LegalDetailsFactsFragment>): LegalDetails {
  return readFragment(LegalDetailsFactsFragment, data);
}

export function LegalDetailsFacts({ details }: { details: LegalDetails }) {
  const { t } = useTranslation("identity");
  const { label } = useLabels();
  const format = useFormat();
  return (
    <dl className="facts">
      <dt>{t("legal.entityKind")}</dt>
      <dd>{label("EntityKind", details.entityKind)}</dd>
      <dt>{details.kpp ? t("legal.innKpp") : t("legal.inn")}</dt>
      <dd>
        {details.inn}
        {details.kpp ? ` / ${t("legal.kppShort")} ${details.kpp}` : null}
      </dd>
      <dt>{details.entityKind === "SOLE_PROPRIETOR" ? t("legal.ogrnip") : t("legal.ogrn")}</dt>
      <dd>{details.ogrn}</dd>
      <dt>{t("legal.legalAddress")}</dt>
      <dd>{details.legalAddress}</dd>
      <dt>{t("legal.postalAddress")}</dt>
      <dd>{details.postalAddress ?? t("legal.sameAddress")}</dd>
      <dt>{t("legal.signatory")}</dt>
      <dd>
        {details.signatoryPosition} {details.signatoryName} · {label("SignatoryBasis", details.signatoryBasis)}
        {details.powerOfAttorneyNumber
          ? ` № ${details.powerOfAttorneyNumber} ${t("legal.of")} ${
              details.powerOfAttorneyDate ? format.date(details.powerOfAttorneyDate) : ""
            }`
          : null}
      </dd>
      <dt>{t("legal.bank")}</dt>
      <dd>
        {details.bankName}, {t("legal.bikShort")} {details.bik}
      </dd>
      <dt>{t("legal.settlementAccount")}</dt>
      <dd>{details.settlementAccount}</dd>
      <dt>{t("legal.correspondentAccount")}</dt>
      <dd>{details.correspondentAccount}</dd>
    </dl>
  );
}
