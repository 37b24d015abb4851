import { parse, Root, type INamespace } from "protobufjs";
import { HEALTH_PROTO_TEXT, PLUGIN_PROTO_TEXT, PROTO_TEXT } from "./schema";

/**
 * The schemas of schema.ts as a protobufjs JSON descriptor.
 *
 * scripts/bundle-provider.mjs runs this function at build time and bundles its result in place of
 * this module, so the provider process never tokenizes proto text and its bundle carries no proto
 * parser: building the root from JSON costs ~1 ms of CPU per process where parsing the text cost
 * ~6 ms (docs/PERFORMANCE.md). Jest and the tsc build call it as it is: one source for both.
 */
export function schemaDescriptor(): INamespace {
  const root = new Root();
  // keepCase: field names stay as published (type_name, not typeName): one vocabulary everywhere.
  for (const text of [PROTO_TEXT, PLUGIN_PROTO_TEXT, HEALTH_PROTO_TEXT])
    parse(text, root, { keepCase: true });
  return root.toJSON();
}
