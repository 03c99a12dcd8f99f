// An organisation's registration number, named as its country names it: ИНН in Russia, БИН in Kazakhstan, УНП in
// Belarus, «Регистрационный номер» elsewhere. Which one it is (legalIdKind) and whether it passes today's check
// (legalIdValid) are the API's answers; only the sign-up form, before the organisation exists, words its field from
// the chosen region (legalIdKindOfRegion) — the API checks the number either way.
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import type { EnumOf } from "../i18n/enums";

export type LegalIdKind = EnumOf<"LegalIdKind">;

export const LegalIdFragment = graphql(`
  fragment LegalId on Organisation {
    legalId
    legalIdKind
    legalIdValid
  }
`);

const KIND_BY_COUNTRY: Record<string, LegalIdKind> = { RU: "INN", KZ: "BIN", BY: "UNP" };

/** The number an organisation in this ISO 3166-2 region is asked for: wording only, the API decides validity. */
export function legalIdKindOfRegion(region: string): LegalIdKind {
  return KIND_BY_COUNTRY[region.split("-")[0]] ?? (region ? "REGISTRATION_NUMBER" : "INN");
}

export function useLegalIdName() {
  const { t } = useTranslation();
  return {
    name: (kind: LegalIdKind) => t(`legalId.name.${kind}`),
    hint: (kind: LegalIdKind) => t(`legalId.hint.${kind}`),
  };
}

/** «ИНН 7707083893», with a mark when the stored number fails today's check. */
export function LegalId({ data }: { data: FragmentOf<typeof LegalIdFragment> }) {
  const { t } = useTranslation();
  const { name } = useLegalIdName();
  const organisation = readFragment(LegalIdFragment, data);
  return (
    <span className="legal-id">
      {name(organisation.legalIdKind)} {organisation.legalId}
      {organisation.legalIdValid ? null : <span className="badge badge-warn">{t("legalId.invalid")}</span>}
    </span>
  );
}
