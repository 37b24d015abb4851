// Which CDK library the constructs load: the app's cdktf or cdktn, never a second copy beside it.
// (test/slow/consumer.test.ts installs each kind for real.)
import {
  CdkLibraryError,
  chooseCdkLibrary,
  type CdkLibraryName,
  type InstalledLibrary,
} from "../src/constructs/cdk";

const CDKTF = { manifestPath: "/app/node_modules/cdktf/package.json", name: "cdktf", version: "0.21.0" };
const CDKTN = { manifestPath: "/app/node_modules/cdktn/package.json", name: "cdktn", version: "0.24.0" };
const installed =
  (libs: Partial<Record<CdkLibraryName, InstalledLibrary>>) =>
  (name: CdkLibraryName): InstalledLibrary | undefined =>
    libs[name];

test("the one installed is used, whichever it is", () => {
  expect(chooseCdkLibrary(installed({ cdktf: CDKTF }), undefined)).toBe("cdktf");
  expect(chooseCdkLibrary(installed({ cdktn: CDKTN }), undefined)).toBe("cdktn");
  // `cdktf` aliased to cdktn (npm:cdktn@0.24): one package under the name the app imports.
  expect(
    chooseCdkLibrary(installed({ cdktf: { ...CDKTN, manifestPath: CDKTF.manifestPath } }), undefined),
  ).toBe("cdktf");
});

test("two names resolving to the same package are one library", () => {
  expect(chooseCdkLibrary(installed({ cdktf: CDKTN, cdktn: CDKTN }), undefined)).toBe("cdktf");
});

test("two different libraries fail at once, naming both and the command that fixes it", () => {
  const choose = () => chooseCdkLibrary(installed({ cdktf: CDKTF, cdktn: CDKTN }), undefined);
  expect(choose).toThrow(CdkLibraryError);
  expect(choose).toThrow(/cdktf \(cdktf@0\.21\.0\) and cdktn \(cdktn@0\.24\.0\)/);
  expect(choose).toThrow(/imports from "cdktn", run `npm uninstall cdktf`/);
  expect(choose).toThrow(/CDKTF_GITHUB_SECRETS_CDK=cdktn/);
});

test("the override picks one of two, and is checked", () => {
  const both = installed({ cdktf: CDKTF, cdktn: CDKTN });
  expect(chooseCdkLibrary(both, "cdktn")).toBe("cdktn");
  expect(chooseCdkLibrary(both, "cdktf")).toBe("cdktf");
  expect(() => chooseCdkLibrary(both, "cdk")).toThrow(/set it to "cdktf" or "cdktn"/);
  expect(() => chooseCdkLibrary(installed({ cdktf: CDKTF }), "cdktn")).toThrow(/`npm install cdktn`/);
});

test("none installed says what to install", () => {
  expect(() => chooseCdkLibrary(installed({}), undefined)).toThrow(/run `npm install cdktn constructs`/);
});
