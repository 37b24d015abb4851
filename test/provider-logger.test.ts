/** The provider's logger: hclog JSON lines on stderr, as go-plugin files them in Terraform's log. */
import { createLogger } from "../src/provider/framework/logger";

describe("logger", () => {
  test("hclog JSON lines with microsecond timestamps, filtered by level", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", write: (l) => lines.push(l) }).with({ tf_rpc: "X" });
    logger.debug("hidden");
    logger.info("shown", { n: 1 });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ "@level": "info", "@message": "shown", tf_rpc: "X", n: 1 });
    expect(entry["@timestamp"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });
});
