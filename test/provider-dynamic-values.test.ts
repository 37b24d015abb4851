/** DynamicValue encoding: msgpack and JSON in, msgpack out, unknowns, and the type checks. */
import { encode } from "@msgpack/msgpack";
import { UNKNOWN } from "../src/provider/framework";
import type { Message } from "../src/provider/protocol/messages";
import { decodeDynamicValue, encodeDynamicValue, type ObjectType } from "../src/provider/protocol/values";

const msgpackValue = (value: unknown): Message => ({ msgpack: encode(value) });

describe("dynamic values", () => {
  test("any msgpack extension decodes as UNKNOWN, UNKNOWN encodes as d4 00 00", () => {
    const refined = new Uint8Array([0xc7, 0x02, 0x0c, 0x01, 0x02]); // ext8 type 12 (refined unknown)
    const bytes = Buffer.concat([
      Buffer.from([0x82]),
      Buffer.from(encode("name")),
      Buffer.from([0xd4, 0x00, 0x00]),
      Buffer.from(encode("message")),
      refined,
    ]);
    const value = decodeDynamicValue({ msgpack: bytes }, { name: "string", message: "string" });
    expect(value).toEqual({ name: UNKNOWN, message: UNKNOWN });
    const out = Buffer.from(encodeDynamicValue({ name: UNKNOWN }, { name: "string" }).msgpack);
    expect(out.toString("hex")).toBe("81a46e616d65d40000");
  });

  test("missing attributes become null, extra ones are dropped, json is accepted, numbers coerce", () => {
    const type: ObjectType = { a: "string", n: "number", b: "bool", gone: "string" };
    expect(decodeDynamicValue(msgpackValue({ a: "x", n: 3, b: true, extra: 1 }), type)).toEqual({
      a: "x",
      n: 3,
      b: true,
      gone: null,
    });
    expect(decodeDynamicValue({ json: Buffer.from('{"a":"y","n":"12.5","b":false}') }, type)).toEqual({
      a: "y",
      n: 12.5,
      b: false,
      gone: null,
    });
    expect(decodeDynamicValue(msgpackValue(null), type)).toBeNull();
    expect(decodeDynamicValue(undefined, type)).toBeNull();
  });

  test("a value of the wrong type is refused, naming the attribute but not the value", () => {
    expect(() => decodeDynamicValue(msgpackValue({ n: "not-a-number-SECRET" }), { n: "number" })).toThrow(
      /"n".*number/,
    );
    try {
      encodeDynamicValue({ n: "SECRET" }, { n: "number" });
      throw new Error("expected a throw");
    } catch (error) {
      expect((error as Error).message).toMatch(/"n"/);
      expect((error as Error).message).not.toMatch(/SECRET/);
    }
  });
});
