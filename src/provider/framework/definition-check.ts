import type { Attributes, ProviderDefinition } from "./types";

/**
 * Catches schema mistakes when the process starts, with a message naming the attribute,
 * instead of letting Terraform reject the schema with a less direct error.
 */
export function checkDefinition(def: ProviderDefinition<unknown>): void {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9]*$/.test(def.typeName))
    problems.push(`provider type name "${def.typeName}" is not lower-case letters and digits`);
  problems.push(...checkAttributes(`provider ${def.typeName}`, def.attributes, false));
  const seen = new Set<string>();
  for (const resource of def.resources) {
    if (!resource.typeName.startsWith(def.typeName + "_"))
      problems.push(`resource type "${resource.typeName}" does not start with "${def.typeName}_"`);
    if (seen.has(resource.typeName)) problems.push(`resource type "${resource.typeName}" is defined twice`);
    seen.add(resource.typeName);
    if (!Number.isInteger(resource.version) || resource.version < 0)
      problems.push(`resource ${resource.typeName}: version must be a non-negative integer`);
    problems.push(...checkAttributes(`resource ${resource.typeName}`, resource.attributes, true));
  }
  if (problems.length > 0) throw new Error(`Invalid provider definition: ${problems.join("; ")}`);
}

function checkAttributes(owner: string, attributes: Attributes, isResource: boolean): string[] {
  const problems: string[] = [];
  for (const [name, a] of Object.entries(attributes)) {
    const where = `${owner}, attribute "${name}"`;
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) problems.push(`${where}: name must be lower-case snake_case`);
    if (!["string", "number", "bool", "list(string)"].includes(a.type))
      problems.push(`${where}: unsupported type "${String(a.type)}"`);
    if (a.required && (a.optional || a.computed))
      problems.push(`${where}: required excludes optional and computed`);
    if (!a.required && !a.optional && !a.computed)
      problems.push(`${where}: needs required, optional or computed`);
    if (a.writeOnly && a.computed) problems.push(`${where}: a write-only attribute cannot be computed`);
    if (a.writeOnly && !isResource) problems.push(`${where}: write-only applies to resource attributes only`);
    if (a.requiresReplace && !isResource)
      problems.push(`${where}: requiresReplace applies to resource attributes only`);
    if (a.requiresReplace && a.writeOnly)
      problems.push(`${where}: a write-only attribute has no prior value to compare for replacement`);
  }
  return problems;
}
