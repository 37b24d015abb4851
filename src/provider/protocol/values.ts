import { Decoder, Encoder, ExtData } from "@msgpack/msgpack";
import type { Message } from "./messages";

/**
 * A value Terraform does not know yet ("known after apply"). Symbol.for, so that two copies
 * of this module (e.g. compiled and bundled) still agree on it.
 */
export const UNKNOWN: unique symbol = Symbol.for("cdktf-github-secrets.terraform.unknown") as never;

/** `list(string)` holds names (of secrets, say); a list with an unknown element is unknown as a whole. */
export type AttributeType = "string" | "number" | "bool" | "list(string)";
export type Value = string | number | boolean | readonly string[] | null | typeof UNKNOWN;

/** The cty type of an attribute in its JSON form, as the schema sends it: `"string"`, `["list","string"]`. */
export function ctyTypeJson(type: AttributeType): string {
  return JSON.stringify(type === "list(string)" ? ["list", "string"] : type);
}
export type ObjectValue = Record<string, Value>;
/** Attribute name -> type, in schema order (the order values are encoded in). */
export type ObjectType = Record<string, AttributeType>;

export function isUnknown(value: unknown): value is typeof UNKNOWN {
  return value === UNKNOWN;
}

/** A value that does not fit the schema. The message names the attribute, never the value. */
export class ValueError extends Error {
  constructor(
    readonly attribute: string,
    message: string,
  ) {
    super(message);
    this.name = "ValueError";
  }
}

/**
 * One encoder and one decoder per process: msgpack's encode()/decode() functions build a new one
 * (with a fresh 2 KiB buffer) on every call, and a plan makes several calls per resource. Both are
 * synchronous, so sharing them between concurrent RPCs is safe; `encode` returns a copy.
 */
const encoder = new Encoder();
const decoder = new Decoder();

// cty writes unknown as an extension (type 0, or 12 for refined unknowns); any extension is unknown.
const UNKNOWN_EXT = new ExtData(0, Uint8Array.of(0)); // encodes as fixext1 type 0: d4 00 00

function convert(raw: unknown, type: AttributeType, attribute: string): Value {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof ExtData || raw === UNKNOWN) return UNKNOWN;
  switch (type) {
    case "string":
      if (typeof raw === "string") return raw;
      // cty converts primitives to string; stored JSON state written by another version may hold them.
      if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
      break;
    case "number":
      if (typeof raw === "number" && Number.isFinite(raw)) return raw;
      if (typeof raw === "bigint") return Number(raw);
      // cty encodes numbers that do not fit a float64/int64 as decimal strings.
      if (typeof raw === "string" && raw.trim() !== "" && Number.isFinite(Number(raw))) return Number(raw);
      break;
    case "bool":
      if (typeof raw === "boolean") return raw;
      if (raw === "true" || raw === "false") return raw === "true";
      break;
    case "list(string)":
      if (!Array.isArray(raw)) break;
      if (raw.some((item) => item instanceof ExtData)) return UNKNOWN;
      if (raw.every((item) => typeof item === "string")) return raw;
      break;
  }
  throw new ValueError(attribute, `Attribute "${attribute}" does not hold a ${type} value.`);
}

/** Keeps exactly the schema's attributes: missing ones become null, extra ones are dropped. */
export function objectFromRaw(raw: unknown, type: ObjectType): ObjectValue | null {
  if (raw === null || raw === undefined) return null;
  const wholeUnknown = raw instanceof ExtData;
  if (!wholeUnknown && (typeof raw !== "object" || Array.isArray(raw))) {
    throw new ValueError("", "Expected an object value.");
  }
  const source = raw as Record<string, unknown>;
  const result: ObjectValue = {};
  for (const [name, attributeType] of Object.entries(type)) {
    result[name] = wholeUnknown ? UNKNOWN : convert(source[name], attributeType, name);
  }
  return result;
}

/** DynamicValue (msgpack, or json as used for stored state) -> object value; absent -> null. */
export function decodeDynamicValue(
  dynamicValue: Message | undefined | null,
  type: ObjectType,
): ObjectValue | null {
  if (!dynamicValue) return null;
  if (dynamicValue.msgpack && dynamicValue.msgpack.length > 0) {
    return objectFromRaw(decoder.decode(dynamicValue.msgpack), type);
  }
  if (dynamicValue.json && dynamicValue.json.length > 0) {
    return objectFromRaw(JSON.parse(Buffer.from(dynamicValue.json).toString("utf8")), type);
  }
  return null;
}

function checked(value: Value | undefined, type: AttributeType, attribute: string): unknown {
  if (value === undefined || value === null) return null;
  if (value === UNKNOWN) return UNKNOWN_EXT;
  const ok =
    (type === "string" && typeof value === "string") ||
    (type === "number" && typeof value === "number" && Number.isFinite(value)) ||
    (type === "bool" && typeof value === "boolean") ||
    (type === "list(string)" && Array.isArray(value) && value.every((item) => typeof item === "string"));
  if (!ok)
    throw new ValueError(
      attribute,
      `The provider produced a value for "${attribute}" that is not a ${type}.`,
    );
  return value;
}

/** Object value -> DynamicValue (msgpack), every schema attribute present, in schema order. */
export function encodeDynamicValue(value: ObjectValue | null, type: ObjectType): Message {
  if (value === null) return { msgpack: encoder.encode(null) };
  const out: Record<string, unknown> = {};
  for (const [name, attributeType] of Object.entries(type)) {
    out[name] = checked(value[name], attributeType, name);
  }
  return { msgpack: encoder.encode(out) };
}
