// Documents are typed from the checked-in schema.graphql (gql.tada): no hand-written API types.
import { initGraphQLTada } from "gql.tada";
import type { introspection } from "./generated/graphql-env.d.ts";

export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: {
    DateTime: string;
    Date: string;
    Decimal: string;
    JSON: unknown;
  };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from "gql.tada";
export { readFragment } from "gql.tada";
