// The source address, type and version are owned by the mirror that installs the provider under them.
export { PROVIDER_SOURCE, PROVIDER_TYPE, packageVersion } from "../mirror";
