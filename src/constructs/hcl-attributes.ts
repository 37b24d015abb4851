/**
 * cdktf renders HCL (SYNTH_HCL_OUTPUT=true) from typed attribute descriptors instead of plain values;
 * this builds them for flat string/number attributes the way generated bindings do, leaving unset ones out.
 */
export function hclAttributes(
  values: Record<string, string | number | boolean | undefined>,
): Record<
  string,
  { value: unknown; isBlock: false; type: "simple"; storageClassType: "string" | "number" | "boolean" }
> {
  const result: Record<
    string,
    { value: unknown; isBlock: false; type: "simple"; storageClassType: "string" | "number" | "boolean" }
  > = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) {
      continue;
    }
    result[name] = {
      value,
      isBlock: false,
      type: "simple",
      storageClassType:
        typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : "string",
    };
  }
  return result;
}
