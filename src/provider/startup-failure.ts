/**
 * Why the provider cannot start, said where the user will see it. Terraform shows a plugin's
 * stderr only under TF_LOG, but a stdout line that is not the handshake it prints as
 * "Unrecognized remote plugin message: <line>". So the reason goes to both, on one line. Only
 * before the handshake line: after it, stdout belongs to the protocol.
 */
export function reportStartupFailure(message: string, startedByTerraform: boolean): never {
  const line = message.replace(/\s*\n\s*/g, " ") + "\n";
  process.stderr.write(line);
  if (startedByTerraform) process.stdout.write(line);
  process.exit(1);
}
