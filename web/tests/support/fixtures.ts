// The browser tests' fixtures: an API client, signed-in pages, accessibility checks and screenshots.
import AxeBuilder from "@axe-core/playwright";
import { expect, test as base, type Browser, type Page } from "@playwright/test";
import { Api } from "./api";

export { expect };

/** A page whose browser already holds this token (as after a sign-in), for a person who reads `language`: the
 * account's language is set to it too, since a signed-in page takes the account's (a token the server does not
 * know is refused, which changes nothing). */
export async function pageSignedIn(browser: Browser, token: string, language: "ru" | "en" = "ru"): Promise<Page> {
  const context = await browser.newContext();
  await context.request.post("/graphql", {
    data: {
      query: "mutation($language: Language!) { setMyLanguage(language: $language) { __typename } }",
      variables: { language: language.toUpperCase() },
    },
    headers: { authorization: `Bearer ${token}` },
  });
  await context.addInitScript(
    ([value, lang]) => {
      if (!window.sessionStorage.getItem("e2e.seeded")) {
        window.localStorage.setItem("exchange.token", value);
        window.localStorage.setItem("exchange.lang", lang);
        window.sessionStorage.setItem("e2e.seeded", "1");
      }
    },
    [token, language] as const,
  );
  return context.newPage();
}

/** axe-core on the page as it stands: WCAG 2.1 A and AA, no violations. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const summary = results.violations.map(
    (violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`,
  );
  expect(summary).toEqual([]);
}

/** A screenshot of a journey's key screen, kept under test-results/screens/ for people to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

export const test = base.extend<{ api: Api }>({
  api: async ({ request }, use) => {
    await use(new Api(request));
  },
});
