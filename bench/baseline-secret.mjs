// The hand-written baseline the benchmark compares the provider with: what a team writes without a
// provider, run by Terraform as `terraform_data` + `local-exec`, one Node process per secret.
//   node bench/baseline-secret.mjs put     (REPO, ENVIRONMENT, NAME; value from BENCH_VALUE)
//   node bench/baseline-secret.mjs delete  (REPO, ENVIRONMENT, NAME)
// Against GITHUB_API_URL with GITHUB_TOKEN. It fetches the environment key for every secret (a
// script has no cache shared between secrets) and detects no drift: Terraform never asks it.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [operation] = process.argv.slice(2);
const { GITHUB_API_URL: api, GITHUB_TOKEN: token, REPO, ENVIRONMENT, NAME } = process.env;
const base = `${api}/repos/${REPO}/environments/${encodeURIComponent(ENVIRONMENT)}/secrets`;
const headers = { authorization: `Bearer ${token}`, accept: "application/vnd.github+json" };

async function call(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: body ? { ...headers, "content-type": "application/json" } : headers,
    body: body && JSON.stringify(body),
  });
  if (!response.ok && !(method === "DELETE" && response.status === 404)) {
    throw new Error(`${method} ${REPO} ${ENVIRONMENT} ${NAME}: HTTP ${response.status}`);
  }
  return response.status === 204 || method !== "GET" ? undefined : response.json();
}

if (operation === "put") {
  const sodium = require("libsodium-wrappers");
  await sodium.ready;
  const key = await call("GET", `${base}/public-key`);
  const sealed = sodium.crypto_box_seal(
    new TextEncoder().encode(process.env.BENCH_VALUE ?? ""),
    Buffer.from(key.key, "base64"),
  );
  await call("PUT", `${base}/${NAME}`, {
    encrypted_value: Buffer.from(sealed).toString("base64"),
    key_id: key.key_id,
  });
} else if (operation === "delete") {
  await call("DELETE", `${base}/${NAME}`);
} else {
  console.error(
    "usage: node bench/baseline-secret.mjs put|delete (REPO, ENVIRONMENT, NAME in the environment)",
  );
  process.exit(2);
}
