// The e-mails the server sent: serve.sh points EXCHANGE_SMTP_URL at an SMTP sink (aiosmtpd) that files each
// message in the Maildir test-results/mail; the worker relays account e-mails within about a second.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "@playwright/test";

const MAILDIR = join(process.cwd(), "test-results", "mail", "new");

/** The decoded text of a MIME message's body (one text part: quoted-printable, base64 or plain). */
function bodyOf(raw: string): string {
  const split = raw.indexOf("\n\n");
  const headers = raw.slice(0, split);
  const body = raw.slice(split + 2);
  const encoding = /^Content-Transfer-Encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") {
    const bytes = body
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

interface Mail {
  to: string;
  subject: string;
  body: string;
}

function mails(): Mail[] {
  let names: string[] = [];
  try {
    names = readdirSync(MAILDIR);
  } catch {
    return [];
  }
  return names.sort().map((name) => {
    const raw = readFileSync(join(MAILDIR, name), "utf8").replace(/\r\n/g, "\n");
    const header = (key: string) => new RegExp(`^${key}:\\s*(.*)$`, "im").exec(raw)?.[1]?.trim() ?? "";
    return { to: header("To"), subject: header("Subject"), body: bodyOf(raw) };
  });
}

/** The path and query of the newest link to `path` e-mailed to `to`, waiting for the e-mail to arrive. */
export async function linkFromMail(to: string, path: string, after = 0): Promise<string> {
  let link = "";
  await expect
    .poll(
      () => {
        const found = mails()
          .filter((mail) => mail.to === to)
          .slice(after)
          .flatMap((mail) => [...mail.body.matchAll(/https?:\/\/[^\s/]+(\/[\w-]+\?token=[\w-]+)/g)].map((m) => m[1]))
          .filter((href) => href.startsWith(`${path}?`));
        link = found.at(-1) ?? "";
        return link;
      },
      { timeout: 20_000, message: `an e-mail to ${to} with a link to ${path}` },
    )
    .not.toBe("");
  return link;
}

export function mailCount(to: string): number {
  return mails().filter((mail) => mail.to === to).length;
}
