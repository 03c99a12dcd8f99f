// The public GraphQL API from the test's side: to set up what a journey starts from (accounts, profiles,
// orders) without clicking through screens that other tests cover.
import type { APIRequestContext } from "@playwright/test";

export class Api {
  constructor(
    private readonly request: APIRequestContext,
    public token: string | null = null,
  ) {}

  as(token: string | null): Api {
    return new Api(this.request, token);
  }

  async gql<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await this.request.post("/graphql", {
      data: { query, variables },
      headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
    });
    const body = await response.json();
    if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data as T;
  }
}

let counter = 0;

/** Unique enough for one server run: e-mails and legal ids must not repeat. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

/** A company's ИНН (10 digits, the check digit right: the API refuses any other for a Russian region), new on each
 * call within a run. */
export function legalId(): string {
  counter += 1;
  const stem = `77${String((Date.now() * 7 + counter * 7919) % 10_000_000).padStart(7, "0")}`;
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const sum = [...stem].reduce((total, digit, index) => total + Number(digit) * weights[index]!, 0);
  return `${stem}${(sum % 11) % 10}`;
}

/** A Kazakh БИН that passes its check digit (weights 1–11, else 3–11, 1, 2; mod 11, never 10), unique per run. */
export function binKz(): string {
  for (let attempt = 0; ; attempt += 1) {
    counter += 1;
    const stem = `94${String((Date.now() * 7 + counter * 7919 + attempt) % 1_000_000_000).padStart(9, "0")}`;
    const digits = [...stem].map(Number);
    const sum = (weights: number[]) => digits.reduce((total, digit, index) => total + digit * weights[index]!, 0) % 11;
    let check = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    if (check === 10) check = sum([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
    if (check !== 10) return `${stem}${check}`;
  }
}

export interface Account {
  token: string;
  email: string;
  password: string;
  fullName: string;
  organisationId: string;
  organisationName: string;
}

const SIGN_UP = `mutation($input: SignUpInput!) {
  signUp(input: $input) {
    __typename
    ... on AuthPayload { token organisation { id name } }
    ... on UserError { code message field }
  }
}`;

export async function signUp(
  api: Api,
  options: { kind: "BUYER" | "MANUFACTURER" | "BOTH"; name?: string; region?: string; fullName?: string },
): Promise<Account> {
  const email = `${unique("user")}@example.com`;
  const password = "correct horse battery";
  const fullName = options.fullName ?? "Тест Тестов";
  const name = options.name ?? `ООО «${unique("Компания ")}»`;
  const data = await api.gql(SIGN_UP, {
    input: {
      email,
      password,
      fullName,
      organisation: { name, legalId: legalId(), region: options.region ?? "RU-MOW", kind: options.kind },
    },
  });
  const payload = data.signUp;
  if (payload.__typename !== "AuthPayload") throw new Error(`sign-up refused: ${JSON.stringify(payload)}`);
  return {
    token: payload.token,
    email,
    password,
    fullName,
    organisationId: payload.organisation.id,
    organisationName: payload.organisation.name,
  };
}

export async function signInOperator(api: Api): Promise<string> {
  const data = await api.gql(
    `mutation { signIn(email: "operator@exchange.test", password: "operator-password-1") { __typename ... on AuthPayload { token } } }`,
  );
  return data.signIn.token;
}
