import { execFileSync } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import * as protobuf from "protobufjs";
import * as descriptor from "protobufjs/ext/descriptor";

/**
 * The upstream tfplugin6 protocol, read from the `terraform` binary on PATH.
 *
 * Why from the binary: no maintained npm package ships `tfplugin6.proto` (the registry has none
 * from HashiCorp, CDKTF, Pulumi or OpenTofu; Debian has none either), and a copy pasted into this
 * repository would be exactly the unverified hand-made text this check exists to catch. Terraform
 * itself is generated from the upstream file: protoc-gen-go embeds the serialized
 * `FileDescriptorProto` of `tfplugin6.proto` in every Terraform build, so the binary the end-to-end
 * tests already require carries the authoritative field names and numbers of the protocol it speaks.
 */
export interface TerraformPluginDescriptor {
  /** `terraform_version` of the binary the descriptor was read from. */
  terraformVersion: string;
  /** The upstream `tfplugin6` package, as protobufjs reflection objects. */
  root: protobuf.Root;
}

/** A serialized FileDescriptorProto starts with its name (field 1) and then its package (field 2). */
function descriptorStart(file: string, pkg: string): Buffer {
  const name = Buffer.from(file, "utf8");
  const packageName = Buffer.from(pkg, "utf8");
  return Buffer.concat([
    Buffer.from([0x0a, name.length]),
    name,
    Buffer.from([0x12, packageName.length]),
    packageName,
  ]);
}

/** The field of FileDescriptorProto written last for a proto3 file: `syntax = 12`. */
const SYNTAX_FIELD = 12;

/**
 * Cuts one serialized FileDescriptorProto out of `bytes` starting at `start`. The bytes are not
 * length-prefixed in the binary; protobuf writes fields in field-number order, so the descriptor of
 * a proto3 file ends right after its `syntax` field.
 */
function cutDescriptor(bytes: Buffer, start: number): Buffer {
  const reader = protobuf.Reader.create(bytes.subarray(start, start + 4 * 1024 * 1024));
  for (let fields = 0; fields < 10_000; fields++) {
    const tag = reader.uint32();
    reader.skipType(tag & 7);
    if (tag >>> 3 === SYNTAX_FIELD) return bytes.subarray(start, start + reader.pos);
  }
  throw new Error("tfplugin6.proto descriptor in the terraform binary has no syntax field");
}

function findOnPath(command: string): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(
    "terraform was not found on PATH: install Terraform >= 1.11 (e.g. 1.11.4); the protocol check reads " +
      "the tfplugin6 descriptor compiled into it",
  );
}

/** What protobufjs/ext/descriptor adds to Root at run time (its typings do not declare it). */
interface DescriptorRoot {
  toDescriptor(syntax: string): { file: descriptor.IFileDescriptorProto[] };
}
interface DescriptorRootStatic {
  fromDescriptor(set: descriptor.IFileDescriptorSet): protobuf.Root;
}

export function loadTerraformPluginDescriptor(): TerraformPluginDescriptor {
  const binary = findOnPath("terraform");
  const version = JSON.parse(
    execFileSync(binary, ["version", "-json"], {
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "pipe", "ignore"],
    }),
  ) as { terraform_version: string };
  const bytes = readFileSync(binary);
  const start = bytes.indexOf(descriptorStart("tfplugin6.proto", "tfplugin6"));
  if (start < 0) {
    throw new Error(`${binary} (Terraform ${version.terraform_version}) holds no tfplugin6.proto descriptor`);
  }
  const file = descriptor.FileDescriptorProto.decode(cutDescriptor(bytes, start)) as protobuf.Message &
    descriptor.IFileDescriptorProto;
  // Its imports (google/protobuf/timestamp.proto) are protobuf's well-known types, which protobufjs ships.
  const imports = ((file.dependency ?? []) as string[]).map((name) => {
    const json = protobuf.common.get(name);
    if (!json) throw new Error(`tfplugin6.proto imports ${name}, which protobufjs does not ship`);
    const set = (protobuf.Root.fromJSON(json) as unknown as DescriptorRoot).toDescriptor("proto3");
    return { ...set.file[0], name };
  });
  const root = (protobuf.Root as unknown as DescriptorRootStatic).fromDescriptor({
    file: [...imports, file],
  });
  return { terraformVersion: version.terraform_version, root };
}
