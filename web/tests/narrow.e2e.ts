// The main pages on a phone (390 px wide): the order board, an order, the contract room, the manufacturer's profile
// and the company page. Nothing may be wider than the screen (no sideways scrolling), and each is written to
// test-results/screens/ to be looked at.
import { awardedContract } from "./support/contracts";
import { expect, pageSignedIn, screenshot, test } from "./support/fixtures";
import type { Page } from "@playwright/test";

async function fitsTheScreen(page: Page): Promise<void> {
  // The widest elements past the right edge, named, so that a failure says what to mend.
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .filter((el) => {
        // Inside something that scrolls sideways by itself (a wide table on a phone): that is the point of it.
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
          if (["auto", "scroll", "hidden"].includes(getComputedStyle(up).overflowX)) return false;
        }
        return true;
      })
      // the innermost ones: what is too wide, not everything holding it
      .filter((el, _, all) => !all.some((other) => other !== el && el.contains(other)))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`),
  );
  expect(wide).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test("the main pages fit a 390 px phone screen", async ({ browser, api }) => {
  const contract = await awardedContract(api, "Корпус редуктора, узкий экран");
  const maker = await pageSignedIn(browser, contract.maker.token);
  await maker.setViewportSize({ width: 390, height: 844 });

  await maker.goto("/orders");
  await expect(maker.getByRole("heading", { level: 1 })).toBeVisible();
  await maker.waitForLoadState("networkidle");
  await screenshot(maker, "narrow-01-board");
  await fitsTheScreen(maker);

  await maker.goto(`/contracts/${contract.contractId}`);
  await expect(maker.getByRole("heading", { level: 1 })).toContainText("Корпус редуктора");
  await maker.waitForLoadState("networkidle");
  await screenshot(maker, "narrow-02-contract-room");
  await fitsTheScreen(maker);
  // The lifecycle's dots sit inside the list, not at (or past) the screen's edge, and the line between them is a
  // 2 px rail, not a second dot (the dispute timeline's rules once leaked in here).
  const timeline = maker.locator(".contract-timeline");
  const steps = await timeline.locator(".timeline-step").evaluateAll((items) =>
    items.map((item) => ({
      marker: item.querySelector(".timeline-marker")!.getBoundingClientRect().left,
      list: item.parentElement!.getBoundingClientRect().left,
      rail: getComputedStyle(item, "::before").width,
    })),
  );
  expect(steps.length).toBeGreaterThan(3);
  for (const step of steps) {
    expect(step.marker).toBeGreaterThanOrEqual(step.list);
    expect(step.marker).toBeGreaterThan(8);
    expect(step.rail).toBe("2px");
  }
  await timeline.locator("ol.lifecycle").screenshot({ path: "test-results/screens/narrow-02b-contract-timeline.png" });

  await maker.goto("/profile");
  await expect(maker.getByRole("heading", { level: 1 })).toBeVisible();
  await maker.waitForLoadState("networkidle");
  await screenshot(maker, "narrow-03-profile");
  await fitsTheScreen(maker);

  const buyer = await pageSignedIn(browser, contract.buyer.token);
  await buyer.setViewportSize({ width: 390, height: 844 });
  await buyer.goto("/my/orders");
  await buyer.getByRole("link", { name: /Корпус редуктора/ }).first().click();
  await expect(buyer.getByRole("heading", { level: 1 })).toContainText("Корпус редуктора");
  await buyer.waitForLoadState("networkidle");
  await screenshot(buyer, "narrow-04-order");
  await fitsTheScreen(buyer);

  await buyer.goto(`/company/${contract.buyer.organisationId}`);
  await expect(buyer.getByRole("heading", { level: 1 })).toBeVisible();
  await screenshot(buyer, "narrow-05-company");
  await fitsTheScreen(buyer);
  await maker.context().close();
  await buyer.context().close();
});
