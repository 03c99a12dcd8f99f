// A second server for the card-payment journey: tests/support/serve-stripe.sh (the Stripe provider against
// localstripe), started by the test file that needs it and stopped after it, so that the other journeys keep
// the bank-transfer server of playwright.config.ts and pay nothing for this one.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";

// A port range of its own per checkout, below the config's server (30000 + 2 × offset, up to 49999): the app,
// PostgreSQL and localstripe take three ports from 20000 to 28999 (the mail sink takes a free port).
const offset = parseInt(createHash("sha1").update(process.cwd()).digest("hex").slice(0, 6), 16) % 3000;
export const STRIPE_SERVER_PORT = Number(process.env.E2E_STRIPE_PORT ?? 20000 + offset * 3);
export const STRIPE_SERVER_URL = `http://127.0.0.1:${STRIPE_SERVER_PORT}`;
export const LOCALSTRIPE_URL = `http://127.0.0.1:${STRIPE_SERVER_PORT + 2}`;

export async function startStripeServer(): Promise<ChildProcess> {
  const child = spawn("bash", ["tests/support/serve-stripe.sh", String(STRIPE_SERVER_PORT)], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`serve-stripe.sh exited with ${child.exitCode}`);
    try {
      const [app, stripe] = await Promise.all([
        fetch(`${STRIPE_SERVER_URL}/health`),
        fetch(`${LOCALSTRIPE_URL}/js.stripe.com/v3/`),
      ]);
      if (app.ok && stripe.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  child.kill("SIGINT");
  throw new Error("the Stripe server did not start within 120 s");
}

export async function stopStripeServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGINT");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 25_000))]);
}
