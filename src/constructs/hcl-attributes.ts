/**
 * cdktf renders HCL (SYNTH_HCL_OUTPUT=true) from typed attribute descriptors instead of plain values;
 * this builds them for flat attributes (strings, numbers, booleans, string lists) the way generated
 * bindings do, leaving unset ones out.
 */
type StorageClassType = "string" | "number" | "boolean" | "stringList";

export function hclAttributes(
  values: Record<string, string | number | boolean | string[] | undefined>,
): Record<
  string,
  { value: unknown; isBlock: false; type: "simple" | "list"; storageClassType: StorageClassType }
> {
  const result: Record<
    string,
    { value: unknown; isBlock: false; type: "simple" | "list"; storageClassType: StorageClassType }
  > = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) {
      continue;
    }
    result[name] = Array.isArray(value)
      ? { value, isBlock: false, type: "list", storageClassType: "stringList" }
      : {
          value,
          isBlock: false,
          type: "simple",
          storageClassType:
            typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : "string",
        };
  }
  return result;
}
