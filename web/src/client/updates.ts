// Graphcache updaters come from the areas (src/<area>/cache.ts): each says what its mutations and
// subscriptions change in the normalised cache. Here they are merged, and the helpers they share.
import type { Cache, Entity, UpdateResolver, UpdatesConfig } from "@urql/exchange-graphcache";

/** One UpdatesConfig from the areas' own; two areas updating the same field is a mistake, and says so. */
export function mergeUpdates(...configs: UpdatesConfig[]): UpdatesConfig {
  const merged: Record<string, Record<string, UpdateResolver>> = {};
  for (const config of configs) {
    for (const [typeName, fields] of Object.entries(config)) {
      for (const [fieldName, updater] of Object.entries(fields ?? {})) {
        merged[typeName] ??= {};
        if (!updater) continue;
        if (merged[typeName][fieldName]) throw new Error(`two updaters for ${typeName}.${fieldName}`);
        merged[typeName][fieldName] = updater;
      }
    }
  }
  return merged;
}

/** Drop every cached variant (all arguments) of an entity's field: queries reading it fetch it again. */
export function invalidateField(cache: Cache, entity: Entity, fieldName: string, matches?: (args: Record<string, unknown>) => boolean): void {
  for (const field of cache.inspectFields(entity)) {
    if (field.fieldName === fieldName && (!matches || matches((field.arguments ?? {}) as Record<string, unknown>))) {
      cache.invalidate(entity, field.fieldName, field.arguments ?? undefined);
    }
  }
}
