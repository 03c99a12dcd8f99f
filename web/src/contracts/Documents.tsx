// The contract's documents: what the exchange issued (contract and escrow invoice at award, closing act and fee
// invoices at completion), each to download with its SHA-256, the detached e-signatures the parties attached, a
// form to attach one's own, the document's audit (who downloaded or signed it), and a request for English copies.
// The API lists only what the viewer may read, issues download links (each one audited) and says which party's
// legal details the documents still wait for; the platform stores signatures without verifying them, and says so.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { ErrorSummary, ErrorText, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { UserErrorFragment } from "../errors/userError";

export const ContractDocumentsFragment = graphql(`
  fragment ContractDocuments on Contract {
    id
    viewerParty
    documentsAwaitLegalDetailsOf {
      id
      name
    }
    documents {
      id
      kind
      language
      number
      issuedOn
      addressee {
        id
        name
      }
      file {
        name
        size
        sha256
      }
      signatures {
        id
        createdAt
        attachedBy
        organisation {
          id
          name
        }
        file {
          name
        }
      }
      accessLog {
        action
        at
        person
        organisation {
          id
          name
        }
      }
    }
  }
`);

const RequestCopy = graphql(
  `
  mutation RequestContractDocumentCopy($contractId: ID!, $language: DocumentLanguage!) {
    requestContractDocumentCopy(contractId: $contractId, language: $language) {
      __typename
      ... on RequestContractDocumentCopySuccess {
        language
      }
      ...UserErrorFields
    }
  }
`,
  [UserErrorFragment],
);

const RequestDownload = graphql(
  `
  mutation RequestContractDocumentDownload($documentId: ID!, $signatureId: ID) {
    requestContractDocumentDownload(documentId: $documentId, signatureId: $signatureId) {
      __typename
      ... on ContractDocumentDownloadSuccess {
        url
      }
      ...UserErrorFields
    }
  }
`,
  [UserErrorFragment],
);

const AttachSignature = graphql(
  `
  mutation AttachDocumentSignature($input: AttachDocumentSignatureInput!) {
    attachDocumentSignature(input: $input) {
      __typename
      ... on AttachDocumentSignatureSuccess {
        signature {
          id
        }
      }
      ...UserErrorFields
    }
  }
`,
  [UserErrorFragment],
);

type Data = FragmentOf<typeof ContractDocumentsFragment>;

export function Documents({ data, onDone }: { data: Data; onDone: () => void }) {
  const { t } = useTranslation("contracts");
  const { label } = useLabels();
  const format = useFormat();
  const contract = readFragment(ContractDocumentsFragment, data);
  const [copy, requestCopy] = useMutation(RequestCopy);
  const [asked, setAsked] = useState(false);
  const [error, setError] = useState<UserErrorLike | null>(null);
  const party = contract.viewerParty === "BUYER" || contract.viewerParty === "MANUFACTURER";
  const hasEnglish = contract.documents.some((document) => document.language === "EN");

  async function askEnglish() {
    const result = await requestCopy({ contractId: contract.id, language: "EN" });
    const refusal =
      userErrorOf(result.data?.requestContractDocumentCopy) ?? (result.error ? { message: result.error.message } : null);
    setError(refusal);
    if (!refusal) setAsked(true);
  }

  return (
    <section aria-labelledby="documents-title" className="contract-documents" data-testid="contract-documents">
      <h2 id="documents-title">{t("documents.title")}</h2>
      <p className="muted">{t("documents.notVerified")}</p>
      {contract.documentsAwaitLegalDetailsOf.length > 0 ? (
        <p role="status" className="notice" data-testid="documents-await-details">
          {t("documents.awaitDetails", {
            names: contract.documentsAwaitLegalDetailsOf.map((organisation) => organisation.name).join(", "),
          })}
        </p>
      ) : null}
      {contract.documents.length === 0 ? (
        contract.documentsAwaitLegalDetailsOf.length > 0 ? null : (
          <p className="muted">{t("documents.none")}</p>
        )
      ) : (
        <ul className="cards">
          {contract.documents.map((document) => (
            <li key={document.id} className="card document-card" data-testid="contract-document">
              <p>
                <strong>{label("DocumentKind", document.kind)}</strong> № {document.number}
                {" · "}
                <span className="muted">
                  {label("DocumentLanguage", document.language)} · {format.date(document.issuedOn)}
                </span>
                {document.addressee ? (
                  <span className="muted"> · {t("documents.addressee", { name: document.addressee.name })}</span>
                ) : null}
              </p>
              <p>
                <DownloadLink documentId={document.id} name={document.file.name} onDone={onDone} />{" "}
                <span className="muted">
                  {t("documents.size", { kb: Math.max(1, Math.round(document.file.size / 1024)) })}
                </span>
              </p>
              <p className="muted hash">
                SHA-256: <code>{document.file.sha256}</code>
              </p>
              <h3 className="visually-hidden">{t("documents.signatures")}</h3>
              {document.signatures.length === 0 ? (
                <p className="muted">{t("documents.noSignatures")}</p>
              ) : (
                <ul className="signatures">
                  {document.signatures.map((signature) => (
                    <li key={signature.id} data-testid="document-signature">
                      {t("documents.signedBy", {
                        organisation: signature.organisation?.name ?? "",
                        person: signature.attachedBy,
                        when: format.dateTime(signature.createdAt),
                      })}{" "}
                      <DownloadLink
                        documentId={document.id}
                        signatureId={signature.id}
                        name={signature.file.name}
                        onDone={onDone}
                      />
                    </li>
                  ))}
                </ul>
              )}
              {document.accessLog.length > 0 ? (
                <details className="document-log" data-testid="document-log">
                  <summary>{t("documents.log", { count: document.accessLog.length })}</summary>
                  <ul>
                    {document.accessLog.map((line, index) => (
                      <li key={index}>
                        {t(line.action === "DOWNLOAD" ? "documents.logDownload" : "documents.logSigned", {
                          person: line.person,
                          organisation: line.organisation?.name ?? t("documents.operator"),
                          when: format.dateTime(line.at),
                        })}
                      </li>
                    ))}
                  </ul>
                </details>
              ) : null}
              {party ? (
                <details className="signature-attach">
                  <summary>{t("documents.attachLabel")}</summary>
                  <SignatureForm documentId={document.id} onDone={onDone} />
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {contract.documents.length > 0 && !hasEnglish ? (
        <>
          <ErrorSummary form="document-copy" error={error} />
          {asked ? (
            <p role="status">{t("documents.englishAsked")}</p>
          ) : (
            <p className="actions">
              <button type="button" onClick={askEnglish} disabled={copy.fetching}>
                {t("documents.askEnglish")}
              </button>
            </p>
          )}
        </>
      ) : null}
    </section>
  );
}

/** Ask the API for a download link (it checks the rights and records the download), then follow it. */
function DownloadLink({
  documentId,
  signatureId,
  name,
  onDone,
}: {
  documentId: string;
  signatureId?: string;
  name: string;
  onDone: () => void;
}) {
  const { t } = useTranslation("contracts");
  const [state, request] = useMutation(RequestDownload);
  const [error, setError] = useState<UserErrorLike | null>(null);

  async function download() {
    setError(null);
    const result = await request({ documentId, signatureId: signatureId ?? null });
    const payload = result.data?.requestContractDocumentDownload;
    if (payload?.__typename !== "ContractDocumentDownloadSuccess") {
      setError(userErrorOf(payload) ?? { message: result.error?.message ?? "no answer" });
      return;
    }
    const link = window.document.createElement("a");
    link.href = payload.url;
    link.download = name;
    link.rel = "noopener";
    window.document.body.appendChild(link);
    link.click();
    link.remove();
    onDone(); // the audit now has this download
  }

  return (
    <span className="download">
      <button type="button" className="link-button" onClick={download} disabled={state.fetching}>
        {signatureId ? name : t("documents.download", { name })}
      </button>
      {error ? (
        <span className="field-message" role="alert">
          <ErrorText error={error} />
        </span>
      ) : null}
    </span>
  );
}

function SignatureForm({ documentId, onDone }: { documentId: string; onDone: () => void }) {
  const { t } = useTranslation("contracts");
  const [state, attach] = useMutation(AttachSignature);
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const form = `signature-${documentId}`;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!file) {
      setError({ message: t("documents.chooseFirst"), field: "file" });
      return;
    }
    const result = await attach({ input: { documentId, file } });
    const refusal =
      userErrorOf(result.data?.attachDocumentSignature) ?? (result.error ? { message: result.error.message } : null);
    // A refusal about the document itself is shown at the file input, the form's only field.
    setError(refusal ? { ...refusal, field: "file" } : null);
    if (!refusal) {
      setFile(null);
      setInputKey((key) => key + 1);
      onDone();
    }
  }

  return (
    <form className="signature-form" onSubmit={submit} noValidate aria-label={t("documents.attachLabel")}>
      <ErrorSummary form={form} error={error} />
      <Field form={form} name="file" label={t("documents.signatureFile")} hint={t("documents.signatureHint")} error={error}>
        {(props) => (
          <input
            key={inputKey}
            type="file"
            {...props}
            accept=".sig,.p7s"
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setError(null);
            }}
          />
        )}
      </Field>
      <p className="actions">
        <button type="submit" disabled={state.fetching}>
          {t("documents.attach")}
        </button>
      </p>
    </form>
  );
}
