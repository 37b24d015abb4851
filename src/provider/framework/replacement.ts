import { isUnknown, type ObjectValue, type Value } from "../protocol/values";
import type { Attributes } from "./types";

/**
 * The attributes whose change from `prior` to `planned` forces a replacement. The service reports
 * them to Terraform, and a resource's plan can ask the same question, so both always agree.
 */
export function attributesForcingReplacement(
  attributes: Attributes,
  prior: ObjectValue,
  planned: ObjectValue,
): string[] {
  return Object.entries(attributes)
    .filter(([name, a]) => {
      const before: Value = prior[name] ?? null;
      const after: Value = planned[name] ?? null;
      if (!a.requiresReplace || before === after) return false;
      if (a.requiresReplace === true || isUnknown(before) || isUnknown(after)) return true;
      return a.requiresReplace(before, after);
    })
    .map(([name]) => name);
}
