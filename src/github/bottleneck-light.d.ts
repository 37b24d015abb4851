// Bottleneck's "light" build (no Redis clustering) is what Octokit's throttling plugin itself
// uses; it ships without its own declarations but has the same API as the full build.
declare module "bottleneck/light.js" {
  import Bottleneck from "bottleneck";
  export default Bottleneck;
}
