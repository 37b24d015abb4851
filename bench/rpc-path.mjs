// npm run bench:rpc — CPU time of the provider's own per-resource path, without Terraform or gRPC
// transport: for N secrets, the protobuf decode of each request, UpgradeResourceState, ReadResource
// and PlanResourceChange of a no-op plan, and the protobuf encode of each answer, as one plan walk
// does them (keyed fingerprints, so the figure is the plumbing, not scrypt). The emulator answers
// the 5 listings; everything else is in process. Median of --runs passes.
//
//   npm run bench:rpc -- [--secrets 500] [--runs 7]
import { dist, median } from "./lib.mjs";

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
};
const SECRETS = option("secrets", 500);
const RUNS = option("runs", 7);
const ENVIRONMENTS = 5;
const KEY = "rpc-bench-fingerprint-key-0123456789abcdef";

const { ProviderService } = dist("provider/framework/provider-service.js");
const { createLogger } = dist("provider/framework/logger.js");
const { ghsecretsProvider } = dist("provider/ghsecrets-provider.js");
const { encodeDynamicValue } = dist("provider/protocol/values.js");
const { messageType, encodeMessage, decodeMessage } = dist("provider/protocol/messages.js");
const { keyedFingerprinter } = dist("crypto/index.js");
const { GithubEmulator } = dist("testing/index.js");

const TYPE = "ghsecrets_environment_secret";
const resourceType = Object.fromEntries(
  Object.entries(ghsecretsProvider.resources[0].attributes).map(([name, a]) => [name, a.type]),
);
const providerType = Object.fromEntries(
  Object.entries(ghsecretsProvider.attributes).map(([name, a]) => [name, a.type]),
);

/** Through protobuf both ways, as grpc-js would call the (de)serializers. */
function viaWire(method, handler) {
  const request = messageType(`tfplugin6.${method}.Request`);
  const response = messageType(`tfplugin6.${method}.Response`);
  return async (message) => {
    const decoded = decodeMessage(request, encodeMessage(request, message));
    // grpc-js hands every call a signal of its own (server.ts); so does this bench.
    const answer = await handler(decoded, new AbortController().signal);
    return decodeMessage(response, encodeMessage(response, answer));
  };
}

async function main() {
  const emulator = await GithubEmulator.start();
  emulator.addRepository("bench/rpc");
  for (let e = 0; e < ENVIRONMENTS; e++) emulator.addEnvironment("bench/rpc", `env-${e}`);
  const env = { BENCH_VALUE: "v", BENCH_FINGERPRINT_KEY: KEY };
  const fingerprints = keyedFingerprinter(KEY);
  const states = [];
  for (let i = 0; i < SECRETS; i++) {
    const environment = `env-${i % ENVIRONMENTS}`;
    emulator.setSecretOutOfBand("bench/rpc", environment, `SECRET_${i}`, "v");
    states.push({
      id: `bench/rpc:${environment}:SECRET_${i}`,
      repository: "bench/rpc",
      environment,
      secret_name: `SECRET_${i}`,
      value: null,
      value_env: "BENCH_VALUE",
      encrypted_value: null,
      key_id: null,
      value_fingerprint: await fingerprints.fingerprint("v"),
      created_at: "2100-01-01T00:00:00Z",
      updated_at: "2100-01-01T00:00:00Z",
    });
  }
  Object.assign(process.env, env);
  const config = (s) => ({ ...s, id: null, value_fingerprint: null, created_at: null, updated_at: null });
  const providerConfig = encodeDynamicValue(
    {
      ...Object.fromEntries(Object.keys(providerType).map((k) => [k, null])),
      token: emulator.token,
      base_url: emulator.url,
      write_delay_ms: 0,
      fingerprint_key_env: "BENCH_FINGERPRINT_KEY",
    },
    providerType,
  );

  const times = [];
  for (let run = 0; run < RUNS + 1; run++) {
    // A fresh service per pass, as each Terraform command starts a fresh provider process.
    const service = new ProviderService(ghsecretsProvider, createLogger());
    const h = service.handlers();
    const rpc = Object.fromEntries(
      ["ConfigureProvider", "UpgradeResourceState", "ReadResource", "PlanResourceChange"].map((m) => [
        m,
        viaWire(m, h[m]),
      ]),
    );
    await rpc.ConfigureProvider({
      config: providerConfig,
      client_capabilities: { write_only_attributes_allowed: true },
    });
    const started = process.cpuUsage();
    await Promise.all(
      states.map(async (state) => {
        const upgraded = await rpc.UpgradeResourceState({
          type_name: TYPE,
          version: 0,
          raw_state: { json: Buffer.from(JSON.stringify(state)) },
        });
        const read = await rpc.ReadResource({ type_name: TYPE, current_state: upgraded.upgraded_state });
        const planned = await rpc.PlanResourceChange({
          type_name: TYPE,
          prior_state: read.new_state,
          proposed_new_state: read.new_state,
          config: encodeDynamicValue(config(state), resourceType),
          client_capabilities: { write_only_attributes_allowed: true },
        });
        if (planned.diagnostics?.length) throw new Error(JSON.stringify(planned.diagnostics));
      }),
    );
    const used = process.cpuUsage(started);
    if (run > 0) times.push((used.user + used.system) / 1000); // the first pass warms the JIT
    service.stop();
  }
  await emulator.stop();
  const ms = median(times);
  console.log(
    `${SECRETS} secrets, Upgrade + Read + Plan through protobuf (keyed fingerprints): ${ms.toFixed(0)} ms CPU, ${((1000 * ms) / SECRETS / 3).toFixed(0)} µs per RPC (median of ${RUNS})`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
