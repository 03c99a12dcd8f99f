// Legal details (реквизиты) for journeys: numbers whose check digits are right (the API refuses the rest), one
// organisation apart from another. Test data only: the web app itself never checks these, the API does.
import { Api } from "./api";

let counter = 0;

function weighted(digits: string, weights: number[]): number {
  return weights.reduce((sum, weight, index) => sum + weight * Number(digits[index]), 0);
}

/** A legal entity's ИНН: 9 digits and the Federal Tax Service's check digit. */
export function validInn(): string {
  counter += 1;
  const stem = `79${String((Date.now() * 13 + counter * 104729) % 10_000_000).padStart(7, "0")}`;
  return stem + String((weighted(stem, [2, 4, 10, 3, 5, 9, 4, 6, 8]) % 11) % 10);
}

/** An ОГРН: 12 digits and (their value mod 11) mod 10. */
export function validOgrn(): string {
  counter += 1;
  const stem = `10277${String((Date.now() + counter * 7919) % 10_000_000).padStart(7, "0")}`;
  return stem + String(Number(BigInt(stem) % 11n) % 10);
}

// АО «ТБанк», as published, and a settlement account whose control key fits its БИК.
export const BANK = { bankName: "АО «ТБанк»", bik: "044525974", correspondentAccount: "30101810145250000974" };

export function settlementAccount(): string {
  counter += 1;
  const tail = String((Date.now() + counter * 31) % 100_000_000_000).padStart(11, "0");
  const weights = [7, 1, 3];
  for (let key = 0; key < 10; key += 1) {
    const account = `40702810${key}${tail}`;
    const digits = BANK.bik.slice(6) + account;
    const sum = [...digits].reduce((total, digit, index) => total + Number(digit) * weights[index % 3], 0);
    if (sum % 10 === 0) return account;
  }
  throw new Error("no control key fits");
}

export function legalDetails(): Record<string, string | null> {
  return {
    inn: validInn(),
    kpp: "772801001",
    ogrn: validOgrn(),
    legalAddress: "620014, г. Екатеринбург, ул. Малышева, д. 51",
    postalAddress: null,
    signatoryName: "Сидоров Илья Павлович",
    signatoryPosition: "Генеральный директор",
    signatoryBasis: "CHARTER",
    settlementAccount: settlementAccount(),
    ...BANK,
  };
}

const SET = `mutation($id: ID!, $input: LegalDetailsInput!) { setLegalDetails(id: $id, input: $input) {
  __typename ... on UserError { code message field } } }`;

/** An organisation's admin states its legal details through the API (screens other tests cover). */
export async function stateLegalDetails(api: Api, organisationId: string, details = legalDetails()): Promise<void> {
  const data = await api.gql(SET, { id: organisationId, input: details });
  if (data.setLegalDetails.__typename !== "LegalDetailsSuccess") throw new Error(JSON.stringify(data));
}
