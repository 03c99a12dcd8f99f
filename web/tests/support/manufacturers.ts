// A manufacturer with a profile, a certificate and a capacity listing, made through the API.
import type { Api, Account } from "./api";
import { signUp } from "./api";

export async function manufacturerWithProfile(
  api: Api,
  options: { name: string; region?: string; processes?: string[]; materials?: string[]; description?: string },
): Promise<Account> {
  const account = await signUp(api, { kind: "MANUFACTURER", name: options.name, region: options.region ?? "RU-SVE" });
  const as = api.as(account.token);
  const profile = await as.gql(
    `mutation($org: ID!, $input: ManufacturerProfileInput!) {
      updateManufacturerProfile(organisationId: $org, input: $input) { __typename ... on UserError { message field } }
    }`,
    {
      org: account.organisationId,
      input: {
        processes: options.processes ?? ["CNC_MILLING", "CNC_TURNING"],
        materials: options.materials ?? ["Алюминий Д16Т", "Сталь 40Х"],
        maxPartXMm: 800,
        maxPartYMm: 500,
        maxPartZMm: 400,
        minQuantity: 10,
        maxQuantity: 5000,
        description: options.description ?? "Пятиосевое фрезерование и токарная обработка.",
      },
    },
  );
  if (profile.updateManufacturerProfile.__typename !== "ManufacturerProfileSuccess") {
    throw new Error(JSON.stringify(profile));
  }
  const nextYear = new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const certificate = await as.gql(
    `mutation($input: CertificationInput!) { setCertification(input: $input) { __typename ... on UserError { message field } } }`,
    {
      input: {
        organisationId: account.organisationId,
        standard: "ISO_9001",
        certificateNumber: "RU-9001-0042",
        issuedBy: "Русский Регистр",
        validUntil: nextYear,
      },
    },
  );
  if (certificate.setCertification.__typename !== "CertificationSuccess") throw new Error(JSON.stringify(certificate));
  return account;
}

/** The search index is fed by the worker's outbox relay: wait until it holds what the test just made. */
export async function waitForSearch(api: Api, query: string, count: number): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const data = await api.gql(
      `query($q: String!) { searchManufacturers(query: $q) { __typename ... on ManufacturerSearch { total } } }`,
      { q: query },
    );
    if (data.searchManufacturers.total === count) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the search index did not reach ${count} results for ${query}`);
}
