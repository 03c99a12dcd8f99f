// The certificates a manufacturer holds, valid or expired, with how long each has left; add, renew, remove.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { graphql } from "../graphql";
import { enumValues, type EnumOf } from "../i18n/enums";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { EnumSelect } from "../ui/selects";
import { Empty, LoadError, Loading } from "../ui/States";
import { useProfileOrganisation } from "./ProfileLayout";
import { UserErrorFragment } from "../errors/userError";

const CertificatesQuery = graphql(
  `
    query Certificates($id: ID!) {
      organisation(id: $id) {
        id
        certifications {
          id
          standard
          certificateNumber
          issuedBy
          validUntil
          valid
        }
      }
    }
  `);

const SetCertificationMutation = graphql(
  `
    mutation SetCertification($input: CertificationInput!) {
      setCertification(input: $input) {
        __typename
        ... on CertificationSuccess {
          certification {
            id
            standard
            certificateNumber
            issuedBy
            validUntil
            valid
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

const RemoveCertificationMutation = graphql(
  `
    mutation RemoveCertification($id: ID!) {
      removeCertification(id: $id) {
        __typename
        ... on RemoveSuccess {
          removedId
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

/** The end of the last day a certificate is valid, in the page's time zone: "expires in N days" counts to it. */
function endOfDay(date: string): string {
  return new Date(`${date}T23:59:59`).toISOString();
}

export function CertificatesPage() {
  const { organisationId } = useProfileOrganisation();
  const { t } = useTranslation("profile");
  const format = useFormat();
  const { label } = useLabels();
  const [result, refetch] = useQuery({ query: CertificatesQuery, variables: { id: organisationId } });
  const [, remove] = useMutation(RemoveCertificationMutation);
  const [notice, setNotice] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<UserErrorLike | null>(null);
  // A change to the list is read back from the API, which orders it and says what is valid.
  const reload = () => refetch({ requestPolicy: "network-only" });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error && !result.data)
    return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const organisation = result.data?.organisation;
  if (!organisation) return <Empty>{t("common:state.notFound")}</Empty>;

  async function onRemove(id: string, standard: EnumOf<"CertificationStandard">) {
    setNotice(null);
    setRemoveError(null);
    const outcome = await remove({ id });
    const payload = outcome.data?.removeCertification;
    if (payload?.__typename === "RemoveSuccess") {
      reload();
      setNotice(t("certificates.removed", { standard: label("CertificationStandard", standard) }));
    } else setRemoveError(userErrorOf(payload) ?? (outcome.error ? { message: outcome.error.message } : null));
  }

  return (
    <>
      <div aria-live="polite">
        {notice ? (
          <p className="success" role="status">
            {notice}
          </p>
        ) : null}
      </div>
      <ErrorSummary form="certificate-remove" error={removeError} />
      {organisation.certifications.length === 0 ? (
        <Empty>{t("certificates.none")}</Empty>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("certificates.standard")}</th>
                <th scope="col">{t("certificates.number")}</th>
                <th scope="col">{t("certificates.issuedBy")}</th>
                <th scope="col">{t("certificates.validUntil")}</th>
                <th scope="col">{t("certificates.status")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("certificates.remove")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {organisation.certifications.map((certificate) => {
                const standard = label("CertificationStandard", certificate.standard);
                const when = format.relative(endOfDay(certificate.validUntil));
                return (
                  <tr key={certificate.id} className={certificate.valid ? undefined : "row-muted"}>
                    <th scope="row">{standard}</th>
                    <td>{certificate.certificateNumber}</td>
                    <td>{certificate.issuedBy || "—"}</td>
                    <td>
                      <time dateTime={certificate.validUntil}>{format.date(certificate.validUntil)}</time>
                    </td>
                    <td>
                      {certificate.valid ? (
                        <>
                          <span className="badge badge-ok">{t("certificates.valid")}</span>{" "}
                          <span className="muted">{t("certificates.expiresIn", { when })}</span>
                        </>
                      ) : (
                        <>
                          <span className="badge badge-danger">{t("certificates.expired")}</span>{" "}
                          <span className="muted">{t("certificates.expiredAgo", { when })}</span>
                        </>
                      )}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="small"
                        aria-label={t("certificates.removeLabel", { standard })}
                        onClick={() => onRemove(certificate.id, certificate.standard)}
                      >
                        {t("certificates.remove")}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <CertificateForm
        organisationId={organisationId}
        onSaved={(message) => {
          reload();
          setNotice(message);
        }}
      />
    </>
  );
}

function CertificateForm({ organisationId, onSaved }: { organisationId: string; onSaved: (message: string) => void }) {
  const { t } = useTranslation("profile");
  const { label } = useLabels();
  const empty = {
    standard: enumValues("CertificationStandard")[0] as EnumOf<"CertificationStandard"> | "",
    certificateNumber: "",
    issuedBy: "",
    validUntil: "",
  };
  const [values, setValues] = useState(empty);
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [state, save] = useMutation(SetCertificationMutation);
  const form = "certificate";
  const set = (patch: Partial<typeof values>) => setValues((current) => ({ ...current, ...patch }));

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!values.standard) return;
    const result = await save({
      input: {
        organisationId,
        standard: values.standard,
        certificateNumber: values.certificateNumber,
        issuedBy: values.issuedBy,
        validUntil: values.validUntil,
      },
    });
    const payload = result.data?.setCertification;
    if (payload?.__typename === "CertificationSuccess") {
      setError(null);
      setValues(empty);
      onSaved(t("certificates.saved", { standard: label("CertificationStandard", payload.certification.standard) }));
    } else setError(userErrorOf(payload) ?? (result.error ? { message: result.error.message } : null));
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="certificate-add">
      <h2 id="certificate-add">{t("certificates.add")}</h2>
      <p className="hint">{t("certificates.addHint")}</p>
      <ErrorSummary form={form} error={error} />
      <Field form={form} name="standard" label={t("certificates.standard")} error={error}>
        {(props) => (
          <EnumSelect
            {...props}
            enumName="CertificationStandard"
            value={values.standard}
            onChange={(standard) => set({ standard })}
          />
        )}
      </Field>
      <Field form={form} name="certificateNumber" label={t("certificates.number")} error={error}>
        {(props) => (
          <input
            {...props}
            value={values.certificateNumber}
            onChange={(event) => set({ certificateNumber: event.target.value })}
          />
        )}
      </Field>
      <Field form={form} name="issuedBy" label={t("certificates.issuedBy")} error={error} optional>
        {(props) => (
          <input {...props} value={values.issuedBy} onChange={(event) => set({ issuedBy: event.target.value })} />
        )}
      </Field>
      <Field form={form} name="validUntil" label={t("certificates.validUntil")} error={error}>
        {(props) => (
          <input
            {...props}
            type="date"
            value={values.validUntil}
            onChange={(event) => set({ validUntil: event.target.value })}
          />
        )}
      </Field>
      <p className="actions">
        <button type="submit" className="primary" disabled={state.fetching}>
          {state.fetching ? t("common:form.working") : t("certificates.submit")}
        </button>
      </p>
    </form>
  );
}
