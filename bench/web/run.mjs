// Figures of the web app, against a running server (BASE_URL):
//   1. initial JS, gzipped: the scripts index.html loads and preloads (what every first visit downloads);
//   2. time to a usable order board on loopback: from navigation to the first order link on /orders,
//      in a fresh browser context (cold cache) and again in the same context (warm), N times each;
//   3. Lighthouse performance and accessibility scores of the public pages / and /suppliers (mobile and desktop
//      presets; Lighthouse runs without a session, and the board is for signed-in people).
// Usage: BASE_URL=http://127.0.0.1:8000 node run.mjs [runs]
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import * as chromeLauncher from "chrome-launcher";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "..", "web", "dist");
const base = process.env.BASE_URL ?? "http://127.0.0.1:8000";
const runs = Number(process.argv[2] ?? 10);
const chromePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync"];

function initialJs() {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const sizes = files.map((file) => ({ file, raw: readFileSync(join(dist, file)).length, gzip: gzipSync(readFileSync(join(dist, file)), { level: 9 }).length }));
  return { files: sizes, gzip: sizes.reduce((sum, s) => sum + s.gzip, 0), raw: sizes.reduce((sum, s) => sum + s.raw, 0) };
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

// A Russian organisation signs up with its ИНН: 77, seven digits of `seed`, and the check digit (10-digit rule).
function innOf(seed) {
  const stem = `77${String(seed % 10_000_000).padStart(7, "0")}`;
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const sum = [...stem].reduce((total, digit, index) => total + Number(digit) * weights[index], 0);
  return `${stem}${(sum % 11) % 10}`;
}

// The board is for signed-in people: a manufacturer signs up once, and each browser context starts with its token.
async function signUpManufacturer() {
  const stamp = Date.now().toString(36);
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: `mutation($input: SignUpInput!) { signUp(input: $input) { __typename ... on AuthPayload { token } } }`,
      variables: {
        input: {
          email: `bench-${stamp}@example.com`,
          password: "correct horse battery",
          fullName: "Bench",
          organisation: { name: `Bench ${stamp}`, legalId: innOf(Date.now()), region: "RU-MOW", kind: "MANUFACTURER" },
        },
      },
    }),
  });
  const body = await response.json();
  if (body.data?.signUp?.__typename !== "AuthPayload") throw new Error(`sign-up refused: ${JSON.stringify(body)}`);
  return body.data.signUp.token;
}

async function boardTimes() {
  const token = await signUpManufacturer();
  const browser = await chromium.launch({ executablePath: chromePath, args: flags });
  const usable = async (page) => {
    await page.goto(`${base}/orders`, { waitUntil: "commit" });
    await page.locator("main .order-card a").first().waitFor({ state: "visible", timeout: 30_000 });
    return page.evaluate(() => performance.now());
  };
  const cold = [];
  const warm = [];
  for (let run = 0; run < runs; run += 1) {
    const context = await browser.newContext();
    await context.addInitScript((value) => window.localStorage.setItem("exchange.token", value), token);
    const page = await context.newPage();
    cold.push(await usable(page));
    warm.push(await usable(page));
    await context.close();
  }
  await browser.close();
  return { cold, warm };
}

async function lighthouseScores(path) {
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ["--headless=new", ...flags] });
  try {
    const options = { port: chrome.port, onlyCategories: ["performance", "accessibility"], output: "json", logLevel: "error" };
    const scores = {};
    for (const [preset, config] of [["mobile", undefined], ["desktop", desktopConfig]]) {
      const result = await lighthouse(`${base}${path}`, options, config);
      const { categories, audits } = result.lhr;
      scores[preset] = {
        performance: Math.round(categories.performance.score * 100),
        accessibility: Math.round(categories.accessibility.score * 100),
        fcpMs: Math.round(audits["first-contentful-paint"].numericValue),
        lcpMs: Math.round(audits["largest-contentful-paint"].numericValue),
        tbtMs: Math.round(audits["total-blocking-time"].numericValue),
      };
    }
    return scores;
  } finally {
    await chrome.kill();
  }
}

const js = initialJs();
console.log(`initial JS: ${(js.gzip / 1024).toFixed(1)} kB gzipped (${(js.raw / 1024).toFixed(1)} kB raw) in ${js.files.length} file(s)`);
for (const file of js.files) console.log(`  ${file.file}: ${(file.gzip / 1024).toFixed(1)} kB gzipped`);
const fmt = (values) => `median ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms`;
if (runs > 0) {
  const board = await boardTimes();
  console.log(`usable order board (${runs} runs): cold ${fmt(board.cold)}; warm ${fmt(board.warm)}`);
}
for (const path of (process.env.PAGES ?? "/,/suppliers").split(",")) {
  const scores = await lighthouseScores(path);
  for (const [preset, s] of Object.entries(scores)) {
    console.log(`lighthouse ${path} ${preset}: performance ${s.performance}, accessibility ${s.accessibility} (FCP ${s.fcpMs} ms, LCP ${s.lcpMs} ms, TBT ${s.tbtMs} ms)`);
  }
}
