// Writes src/generated/schema.json: the schema's introspection, minified, for graphcache's union and
// interface matching (the result unions of every mutation). Types for documents come from gql.tada.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { buildSchema, introspectionFromSchema } from "graphql";
import { minifyIntrospectionQuery } from "@urql/introspection";

const schema = buildSchema(readFileSync(new URL("../../schema.graphql", import.meta.url), "utf8"));
const minified = minifyIntrospectionQuery(introspectionFromSchema(schema), { includeScalars: false });
mkdirSync(new URL("../src/generated/", import.meta.url), { recursive: true });
writeFileSync(new URL("../src/generated/schema.json", import.meta.url), JSON.stringify(minified));
