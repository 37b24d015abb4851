import * as path from "node:path";
import { addCustomSynthesis, type ISynthesisSession, type TerraformStack } from "./cdk";
import type { IConstruct } from "constructs";
import { writeLockFile, writeProviderMirror } from "../mirror";

// Several provider constructs (a default one and aliases) can live in one stack; the mirror is the
// same for all of them, so it is written once per stack directory and synthesis session.
const written = new WeakMap<ISynthesisSession, Set<string>>();

/**
 * At synth time, copy the bundled provider into the stack's working directory as an implicit local
 * mirror (`terraform.d/plugins/...`) and record its hashes for every platform in the stack's
 * `.terraform.lock.hcl`, so `terraform init` there (and the cdktf CLI's diff/deploy) work with no
 * network, no CLI configuration and no "Incomplete lock file information" warning.
 */
export function writeMirrorOnSynth(construct: IConstruct, stack: TerraformStack): void {
  addCustomSynthesis(construct, {
    onSynthesize(session: ISynthesisSession) {
      const workingDir = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory);
      let dirs = written.get(session);
      if (dirs === undefined) {
        dirs = new Set();
        written.set(session, dirs);
      }
      if (dirs.has(workingDir)) {
        return;
      }
      dirs.add(workingDir);
      const mirror = writeProviderMirror(workingDir);
      // The constructs pin the bundled version exactly, so that is the recorded constraint.
      writeLockFile(workingDir, {
        source: mirror.source,
        version: mirror.version,
        constraints: mirror.version,
        packageDirs: mirror.directories,
      });
    },
  });
}
