// list(string) attributes in the plugin protocol values (used by ghsecrets_environment_secret_set).
import { encode, ExtData } from "@msgpack/msgpack";
import {
  ctyTypeJson,
  decodeDynamicValue,
  encodeDynamicValue,
  UNKNOWN,
  ValueError,
} from "../src/provider/protocol/values";

const type = { names: "list(string)" as const };

test("the schema sends list(string) as cty's JSON type", () => {
  expect(ctyTypeJson("list(string)")).toBe('["list","string"]');
  expect(ctyTypeJson("string")).toBe('"string"');
});

test("a list of strings round-trips through msgpack and JSON state", () => {
  const encoded = encodeDynamicValue({ names: ["A", "B"] }, type);
  expect(decodeDynamicValue(encoded, type)).toEqual({ names: ["A", "B"] });
  expect(decodeDynamicValue({ json: Buffer.from('{"names":["X"]}') }, type)).toEqual({ names: ["X"] });
  expect(decodeDynamicValue({ msgpack: encode({ names: null }) }, type)).toEqual({ names: null });
});

test("a list with an unknown element is unknown as a whole; unknown encodes as unknown", () => {
  const raw = encode({ names: ["A", new ExtData(0, Uint8Array.of(0))] });
  expect(decodeDynamicValue({ msgpack: raw }, type)).toEqual({ names: UNKNOWN });
  const back = decodeDynamicValue(encodeDynamicValue({ names: UNKNOWN }, type), type);
  expect(back).toEqual({ names: UNKNOWN });
});

test("a list of non-strings is refused, naming the attribute", () => {
  expect(() => decodeDynamicValue({ msgpack: encode({ names: [1, { a: 1 }] }) }, type)).toThrow(ValueError);
  expect(() => encodeDynamicValue({ names: "A" }, type)).toThrow('"names" that is not a list(string)');
});
