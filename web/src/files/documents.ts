// The files area's GraphQL: the fragments the order page spreads and the mutations behind them.
import { graphql } from "../graphql";
import { UserErrorFragment } from "../errors/userError";

export const OrderFileRowFragment = graphql(
  `
    fragment OrderFileRow on OrderFile {
      id
      kind
      name
      format
      size
      sha256
      revision
      note
      activeContent
      uploadedAt
      supersededAt
      geometry {
        status
        sizeXMm
        sizeYMm
        sizeZMm
        failure {
          code
          limits {
            unit
            max
          }
        }
      }
      preview {
        status
        kind
        url
        failure {
          code
          limits {
            unit
            max
          }
        }
      }
    }
  `);

export const OrderFilesFragment = graphql(
  `
    fragment OrderFiles on Order {
      id
      status
      viewerIsBuyer
      fileAccess
      files {
        ...OrderFileRow
        previousRevisions {
          ...OrderFileRow
        }
      }
      nda {
        version
        text
        createdAt
        viewerAccepted
      }
      ndaAcceptances {
        version
        acceptedAt
        organisation {
          id
          name
        }
      }
      fileDownloads {
        issuedAt
        servedAt
        fileId
        organisation {
          id
          name
        }
      }
      partEnvelope {
        xMm
        yMm
        zMm
        source
        updatedAt
      }
    }
  `,
  [OrderFileRowFragment],
);

export const AttachOrderFileMutation = graphql(
  `
    mutation AttachOrderFile($input: AttachOrderFileInput!) {
      attachOrderFile(input: $input) {
        __typename
        ... on OrderFileSuccess {
          file {
            id
            name
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export const RequestFileUploadMutation = graphql(
  `
    mutation RequestFileUpload($input: RequestFileUploadInput!) {
      requestFileUpload(input: $input) {
        __typename
        ... on FileUploadSuccess {
          upload {
            uploadId
            method
            url
            fields {
              name
              value
            }
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export const FinishFileUploadMutation = graphql(
  `
    mutation FinishFileUpload($uploadId: ID!) {
      finishFileUpload(uploadId: $uploadId) {
        __typename
        ... on OrderFileSuccess {
          file {
            id
            name
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export const RequestFileDownloadMutation = graphql(
  `
    mutation RequestFileDownload($fileId: ID!) {
      requestFileDownload(fileId: $fileId) {
        __typename
        ... on FileDownloadSuccess {
          url
          file {
            id
            name
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export const SetOrderNdaMutation = graphql(
  `
    mutation SetOrderNda($orderId: ID!, $text: String) {
      setOrderNda(orderId: $orderId, text: $text) {
        __typename
        ... on OrderNdaSuccess {
          nda {
            version
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export const AcceptOrderNdaMutation = graphql(
  `
    mutation AcceptOrderNda($orderId: ID!, $version: Int!) {
      acceptOrderNda(orderId: $orderId, version: $version) {
        __typename
        ... on NdaAcceptanceSuccess {
          acceptance {
            version
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export const SetOrderPartEnvelopeMutation = graphql(
  `
    mutation SetOrderPartEnvelope($orderId: ID!, $envelope: PartEnvelopeInput) {
      setOrderPartEnvelope(orderId: $orderId, envelope: $envelope) {
        __typename
        ... on PartEnvelopeSuccess {
          envelope {
            xMm
            yMm
            zMm
            source
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);
