/**
 * Why the provider cannot start, said where the user will see it. Terraform shows a plugin's
 * stderr only under TF_LOG, but a stdout line that is not the handshake it prints as
 * "Unrecognized remote plugin message: <line>". So the reason goes to both, on one line. Only
 * before the handshake line: after it, stdout belongs to the protocol.
 */
export function reportStartupFailure(message: string, startedByTerraform: boolean): never {
  const line = message.replace(/\s*\n\s*/g, " ") + "\n";
  process.stderr.write(line);
  if (startedByTerraform) {
    process.stdout.write(line); // synchronous on a pipe (Linux, macOS): in the pipe when this returns
    holdForTerraform();
  }
  process.exit(1);
}

/**
 * How long a refusing process waits for Terraform before it exits anyway. go-plugin stops reading
 * a plugin's stdout once it sees the process exit, so a line written just before exit is sometimes
 * lost on a busy machine and Terraform says "Failed to read any lines from plugin's stdout" instead
 * of the reason. Terraform kills the plugin once it has read the line, which ends the wait early.
 * The mirror's launcher waits the same way (src/mirror).
 */
export const STARTUP_FAILURE_HOLD_MS = 5000;

/** Blocks this thread (nothing else may run: the process is refusing to start), then returns. */
function holdForTerraform(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, STARTUP_FAILURE_HOLD_MS);
}
