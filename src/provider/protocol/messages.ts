import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";
// The light build: reflection and (de)serialization without the .proto parser (schema-descriptor.ts).
import * as protobuf from "protobufjs/light";
import { schemaDescriptor } from "./schema-descriptor";

/** A decoded protobuf message as a plain object (snake_case field names, as in the .proto). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- protobufjs decodes to untyped objects; each RPC handler reads the fields it declared in schema.ts
export type Message = Record<string, any>;

let root: protobuf.Root | undefined;

/** Builds the schemas' root once per process (lazily, so importing this module costs nothing). */
function protoRoot(): protobuf.Root {
  // addJSON, not Root.fromJSON: that one calls resolveAll(), which resolves every type at once
  // (~5 ms measured); here each type is resolved and code-generated on first use.
  if (!root) {
    root = new protobuf.Root();
    root.addJSON(schemaDescriptor().nested ?? {});
  }
  return root;
}

/**
 * int64 fields become JS numbers whether or not the "long" package happens to be resolvable
 * (protobufjs picks it up at run time, so Jest and the bundle could otherwise differ).
 */
const TO_OBJECT: protobuf.IConversionOptions = {
  longs: Number,
  arrays: true,
  objects: true,
  defaults: false,
};

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function encodeMessage(type: protobuf.Type, value: Message): Buffer {
  return toBuffer(type.encode(type.fromObject(value)).finish());
}

export function decodeMessage(type: protobuf.Type, bytes: Uint8Array): Message {
  return type.toObject(type.decode(bytes), TO_OBJECT);
}

/** Looks up a message type by its full name, e.g. "tfplugin6.DynamicValue". */
export function messageType(fullName: string): protobuf.Type {
  return protoRoot().lookupType(fullName);
}

/**
 * A grpc-js service definition built from the parsed schema, with protobufjs doing the
 * (de)serialization: no generated code and no @grpc/proto-loader (which reads files).
 */
export function serviceDefinition(fullName: string): ServiceDefinition {
  const service = protoRoot().lookupService(fullName);
  const definition: Record<string, MethodDefinition<Message, Message>> = {};
  for (const method of service.methodsArray) {
    method.resolve();
    const requestType = method.resolvedRequestType as protobuf.Type;
    const responseType = method.resolvedResponseType as protobuf.Type;
    definition[method.name] = {
      path: `/${fullName}/${method.name}`,
      requestStream: !!method.requestStream,
      responseStream: !!method.responseStream,
      requestSerialize: (value) => encodeMessage(requestType, value),
      requestDeserialize: (bytes) => decodeMessage(requestType, bytes),
      responseSerialize: (value) => encodeMessage(responseType, value),
      responseDeserialize: (bytes) => decodeMessage(responseType, bytes),
      originalName: method.name,
    };
  }
  return definition;
}
