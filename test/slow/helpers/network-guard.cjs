// Preloaded with NODE_OPTIONS="--require <this file>" into every Node process a test starts (the cdktf
// CLI, the app it runs, the provider): a host name other than localhost is never resolved, so never
// connected to, and each attempt is appended to the file NETWORK_GUARD_LOG names for the test to read.
// Node's net, http, https and fetch (undici) all resolve through dns.lookup, looked up at each call.
// Terraform itself (Go) is kept offline by the tests with a proxy that refuses (HTTPS_PROXY).
const dns = require("node:dns");
const { appendFileSync } = require("node:fs");
const LOCAL = new Set(["localhost", "127.0.0.1", "::1"]);
function refuse(host) {
  if (process.env.NETWORK_GUARD_LOG) appendFileSync(process.env.NETWORK_GUARD_LOG, `${host}\n`);
  return Object.assign(new Error(`network guard: ${host} is not 127.0.0.1`), { code: "ENOTFOUND" });
}
const lookup = dns.lookup;
// Replaced in place (the module object is what net and undici read at each call); typed loosely
// because the overloads of dns.lookup cannot be restated for a wrapper.
/** @type {any} */ (dns).lookup = function (host, ...rest) {
  if (LOCAL.has(host)) return lookup.call(this, host, ...rest);
  const callback = rest[rest.length - 1];
  process.nextTick(() => callback(refuse(host)));
  return {};
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = function (host, ...rest) {
  return LOCAL.has(host) ? promisesLookup.call(this, host, ...rest) : Promise.reject(refuse(host));
};
