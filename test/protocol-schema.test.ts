import * as protobuf from "protobufjs";
import { PROTO_TEXT } from "../src/provider/protocol/schema";
import { loadTerraformPluginDescriptor } from "./helpers/terraform-plugin-descriptor";

// The provider declares only the subset of tfplugin6 it uses, as text (src/provider/protocol/schema.ts).
// protobuf skips unknown fields, so a subset is wire compatible only while every name it declares has
// the upstream field number and type. This compares the subset, message by message, with the
// descriptor Terraform itself was generated from (see the helper for why it is read from the binary).

function parseSubset(text: string): protobuf.Root {
  const root = protobuf.parse(text, new protobuf.Root(), { keepCase: true }).root;
  root.resolveAll();
  return root;
}

function typeName(field: protobuf.Field): string {
  field.resolve();
  return field.resolvedType ? field.resolvedType.fullName : field.type;
}

/**
 * A map as protoc writes it into a descriptor: a repeated nested `<Name>Entry` message of `key = 1`
 * and `value = 2` (protobufjs reads it back as that, not as a map field).
 */
function mapEntry(field: protobuf.Field): { key: string; value: string } | undefined {
  const entry = typeName(field) && field.resolvedType;
  if (!field.repeated || !(entry instanceof protobuf.Type) || entry.parent !== field.parent) return undefined;
  const [key, value] = [entry.fieldsById[1], entry.fieldsById[2]];
  if (!entry.name.endsWith("Entry") || key?.name !== "key" || value?.name !== "value") {
    return undefined;
  }
  return { key: typeName(key), value: typeName(value) };
}

/** What decides the wire format of a field: number, scalar or message type, repeated, map key, oneof. */
function fieldShape(field: protobuf.Field): string {
  const entry =
    field instanceof protobuf.MapField ? { key: field.keyType, value: typeName(field) } : mapEntry(field);
  const type = entry ? entry.value : typeName(field);
  const map = entry ? `map<${entry.key}> ` : "";
  const repeated = field.repeated && !entry ? "repeated " : "";
  const oneof = field.partOf ? ` (oneof ${field.partOf.name})` : "";
  return `${repeated}${map}${type} = ${field.id}${oneof}`;
}

/** Every difference between the subset and upstream, as one line each; empty when they agree. */
function differences(subset: protobuf.NamespaceBase, upstream: protobuf.Root): string[] {
  const found: string[] = [];
  for (const nested of subset.nestedArray) {
    const theirs = upstream.lookup(nested.fullName);
    if (!theirs) {
      found.push(`${nested.fullName}: not in upstream tfplugin6`);
      continue;
    }
    if (nested instanceof protobuf.Type) {
      if (!(theirs instanceof protobuf.Type)) {
        found.push(`${nested.fullName}: a message here, not upstream`);
        continue;
      }
      for (const field of nested.fieldsArray) {
        const upstreamField = theirs.fields[field.name];
        if (!upstreamField) found.push(`${field.fullName}: no field of that name upstream`);
        else if (fieldShape(field) !== fieldShape(upstreamField)) {
          found.push(
            `${field.fullName}: "${fieldShape(field)}" here, "${fieldShape(upstreamField)}" upstream`,
          );
        }
      }
      found.push(...differences(nested, upstream));
    } else if (nested instanceof protobuf.Enum) {
      if (!(theirs instanceof protobuf.Enum)) {
        found.push(`${nested.fullName}: an enum here, not upstream`);
        continue;
      }
      for (const [name, value] of Object.entries(nested.values)) {
        if (theirs.values[name] !== value) {
          found.push(`${nested.fullName}.${name}: ${value} here, ${theirs.values[name]} upstream`);
        }
      }
    } else if (nested instanceof protobuf.Service) {
      if (!(theirs instanceof protobuf.Service)) {
        found.push(`${nested.fullName}: a service here, not upstream`);
        continue;
      }
      for (const method of nested.methodsArray) {
        const upstreamMethod = theirs.methods[method.name];
        method.resolve();
        upstreamMethod?.resolve();
        const ours = `${method.resolvedRequestType?.fullName} -> ${method.resolvedResponseType?.fullName}`;
        const their = `${upstreamMethod?.resolvedRequestType?.fullName} -> ${upstreamMethod?.resolvedResponseType?.fullName}`;
        if (ours !== their) found.push(`${method.fullName}: ${ours} here, ${their} upstream`);
      }
    } else {
      found.push(...differences(nested as protobuf.Namespace, upstream));
    }
  }
  return found;
}

describe("the tfplugin6 subset in schema.ts", () => {
  const upstream = loadTerraformPluginDescriptor();

  test("declares every message, field name, field number and RPC as upstream does", () => {
    const subset = parseSubset(PROTO_TEXT);
    // Sanity: the comparison covers the whole subset, not an empty namespace.
    expect(subset.lookupType("tfplugin6.PlanResourceChange.Request").fieldsArray.length).toBeGreaterThan(4);
    expect(differences(subset, upstream.root)).toEqual([]);
  });

  test("reports a changed field number, a renamed field and a wrong type", () => {
    const altered = PROTO_TEXT.replace("bytes prior_private = 5;", "bytes prior_private = 6;")
      .replace("string terraform_version = 1;", "string terraform_versions = 1;")
      .replace("bool write_only = 11;", "string write_only = 11;");
    expect(altered).not.toBe(PROTO_TEXT);
    expect(differences(parseSubset(altered), upstream.root)).toEqual([
      '.tfplugin6.Schema.Attribute.write_only: "string = 11" here, "bool = 11" upstream',
      ".tfplugin6.ConfigureProvider.Request.terraform_versions: no field of that name upstream",
      '.tfplugin6.PlanResourceChange.Request.prior_private: "bytes = 6" here, "bytes = 5" upstream',
    ]);
  });
});
