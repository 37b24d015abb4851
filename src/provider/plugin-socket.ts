import { lstatSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";

/** Every socket directory of this provider starts so; nothing else in the directory is touched. */
export const SOCKET_DIR_PREFIX = "tf-ghsecrets-";
const SOCKET_FILE = "plugin.sock";
/** mkdtemp's random suffix. */
const SUFFIX_LENGTH = 6;
/**
 * The longest unix socket path the kernel takes: `sun_path` is 108 bytes on Linux and 104 on
 * macOS and the BSDs, with its terminating NUL.
 */
export const MAX_SOCKET_PATH_BYTES = process.platform === "linux" ? 107 : 103;
/**
 * Younger directories are never removed: they may belong to a provider still starting. Its socket
 * refuses connections between bind() and listen() (separate system calls, a long gap on a loaded
 * machine), exactly like the socket of a killed one. Measured: without the grace, concurrent starts
 * under load removed each other's directories ("Plugin did not respond").
 */
const STARTING_GRACE_MS = 60_000;
const PROBE_TIMEOUT_MS = 1000;
/** Bounds the start-up cleanup in a temporary directory shared by many programs. */
const MAX_DIRECTORIES_PROBED = 200;

/** Where the gRPC server listens, and how the handshake names it. */
export type ListenAddress =
  | { readonly network: "unix"; readonly path: string; readonly dir: string }
  | { readonly network: "tcp"; readonly host: "127.0.0.1" };

/**
 * A unix socket in a fresh private directory under `baseDir`, or TCP on 127.0.0.1 when that path
 * would exceed the kernel's limit (a deep TMPDIR): listening on a too-long path fails, and
 * Terraform then only reports that the plugin did not respond. go-plugin accepts `tcp` in the
 * handshake, and mutual TLS still admits only the Terraform that started us.
 */
export function chooseListenAddress(baseDir: string): ListenAddress {
  const projected = join(baseDir, SOCKET_DIR_PREFIX + "X".repeat(SUFFIX_LENGTH), SOCKET_FILE);
  if (Buffer.byteLength(projected) > MAX_SOCKET_PATH_BYTES) return { network: "tcp", host: "127.0.0.1" };
  const dir = mkdtempSync(join(baseDir, SOCKET_DIR_PREFIX));
  return { network: "unix", dir, path: join(dir, SOCKET_FILE) };
}

type Liveness = "live" | "dead" | "absent" | "unknown";

/** A socket with a listener accepts; one whose process died refuses (ECONNREFUSED). */
function probe(socketPath: string): Promise<Liveness> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const done = (result: Liveness) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done("unknown"), PROBE_TIMEOUT_MS);
    socket.once("connect", () => done("live"));
    socket.once("error", (error: NodeJS.ErrnoException) =>
      done(error.code === "ECONNREFUSED" ? "dead" : error.code === "ENOENT" ? "absent" : "unknown"),
    );
  });
}

/**
 * Removes the socket directories that providers killed with `kill -9` (no exit handler ran) left
 * in `baseDir`. Only this provider's directories (by prefix), only the current user's, and only
 * stale ones: older than a minute, and with a socket nobody listens on any more (or none at all).
 * A concurrent provider's live socket accepts the probe and is kept. Returns how many went.
 */
export async function removeStaleSocketDirs(baseDir: string, own?: string): Promise<number> {
  let names: string[];
  try {
    names = readdirSync(baseDir).filter((name) => name.startsWith(SOCKET_DIR_PREFIX));
  } catch {
    return 0;
  }
  const uid = process.getuid?.();
  let removed = 0;
  for (const name of names.slice(0, MAX_DIRECTORIES_PROBED)) {
    const dir = join(baseDir, name);
    if (dir === own) continue;
    try {
      const stat = lstatSync(dir);
      if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) continue;
      if (Date.now() - stat.mtimeMs < STARTING_GRACE_MS) continue;
      const liveness = await probe(join(dir, SOCKET_FILE));
      if (liveness !== "dead" && liveness !== "absent") continue;
      rmSync(dir, { recursive: true, force: true });
      removed++;
    } catch {
      // Gone meanwhile, or not ours to read: leave it.
    }
  }
  return removed;
}
