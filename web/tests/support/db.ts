// The server's own database (the embedded PostgreSQL of serve.sh, on the app's port + 1), for the few set-ups no
// API can make in a browser test's time: a payment refused nineteen times takes Stripe's retries half a day.
import { execFileSync } from "node:child_process";

const SCRIPT = `
import asyncio, json, sys
import asyncpg
async def main():
    conn = await asyncpg.connect(host="127.0.0.1", port=int(sys.argv[1]), user="postgres", database="exchange")
    try:
        rows = await conn.fetch(sys.argv[2], *sys.argv[3:])
    finally:
        await conn.close()
    print(json.dumps([dict(row) for row in rows], default=str))
asyncio.run(main())
`;

/** Runs one SQL statement ($1, $2… take `args`, as text) and returns its rows. */
export function sql(appPort: number, statement: string, ...args: string[]): Record<string, unknown>[] {
  const out = execFileSync("../.venv/bin/python", ["-c", SCRIPT, String(appPort + 1), statement, ...args], {
    encoding: "utf8",
  });
  return JSON.parse(out) as Record<string, unknown>[];
}
