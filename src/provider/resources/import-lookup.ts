import { parseImportId } from "../../lifecycle";
import { type Diagnostic, DiagnosticError, type ObjectValue } from "../framework";

/** What `importState` needs of one resource type that lives at `owner/repo:environment:NAME`. */
export interface ImportableResource<Address, Found> {
  /** "secret" or "variable", as the messages name it. */
  readonly what: string;
  /** The configuration attribute that holds the name (`secret_name`, `variable_name`). */
  readonly nameAttribute: string;
  /** The address of a configuration (or of the attributes the import id gives). */
  readonly addressOf: (config: ObjectValue) => Address;
  /** The resource's own address checks, as for a configuration. */
  readonly checkAddress: (config: ObjectValue) => Diagnostic[];
  /** What GitHub holds at the address; undefined when there is nothing. */
  readonly lookup: (address: Address) => Promise<Found | undefined>;
  /** Turns an error from below into the resource's diagnostic. */
  readonly explain: (error: unknown, address: Address, action: string) => never;
  /** Rewords the import-id error (its example names a secret). */
  readonly describeIdError?: (message: string) => string;
}

/**
 * The shared part of importing either resource: parse the id, apply the same address rules as a
 * configuration (the diagnostics point at no attribute: the id is not one), and look the object up;
 * an object that does not exist is an error, since Terraform would otherwise record an empty import.
 */
export async function lookUpImport<Address, Found>(
  id: string,
  resource: ImportableResource<Address, Found>,
): Promise<{ address: Address; attributes: ObjectValue; found: Found }> {
  let attributes: ObjectValue;
  try {
    const parsed = parseImportId(id);
    attributes = {
      repository: parsed.repository,
      environment: parsed.environment,
      [resource.nameAttribute]: parsed.secretName,
    };
  } catch (error) {
    const message = (error as Error).message;
    throw new DiagnosticError({
      severity: "error",
      summary: "Invalid import id",
      detail: resource.describeIdError?.(message) ?? message,
    });
  }
  const problems = resource.checkAddress(attributes);
  if (problems.length > 0) throw new DiagnosticError(problems.map((p) => ({ ...p, attribute: undefined })));

  const address = resource.addressOf(attributes);
  let found: Found | undefined;
  try {
    found = await resource.lookup(address);
  } catch (error) {
    resource.explain(error, address, "import");
  }
  if (!found) {
    throw new DiagnosticError({
      severity: "error",
      summary: `Cannot import a ${resource.what} that does not exist`,
      detail:
        `${String(attributes.repository)}, environment "${String(attributes.environment)}" has no ` +
        `${resource.what} ${String(attributes[resource.nameAttribute])}.`,
    });
  }
  return { address, attributes, found };
}
