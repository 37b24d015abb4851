/**
 * The server half of @grpc/grpc-js, imported module by module. The package's index also loads the
 * whole client side (channels, load balancers, retries, HTTP proxies, admin services) and sets it
 * up at import, at every provider start, for a process that only serves.
 */
import { Status } from "@grpc/grpc-js/build/src/constants";
import * as resolverDns from "@grpc/grpc-js/build/src/resolver-dns";
import * as resolverUds from "@grpc/grpc-js/build/src/resolver-uds";
import { Server } from "@grpc/grpc-js/build/src/server";
import { ServerCredentials } from "@grpc/grpc-js/build/src/server-credentials";

// What the index's setup() does for a server: Server.bindAsync resolves `unix:<path>` and
// `127.0.0.1:0` through these resolvers.
resolverDns.setup();
resolverUds.setup();

export { Server, ServerCredentials, Status };
