/**
 * Logs as hclog JSON lines on stderr: go-plugin parses them and files them in Terraform's own
 * log (TF_LOG / TF_LOG_PROVIDER) at the right level. stdout belongs to the handshake.
 *
 * Never log secret values or tokens: fields are for names, counts, ids and durations.
 */
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger adding these fields to every line (e.g. the RPC and the resource type). */
  with(fields: LogFields): Logger;
}

const RANK: Record<LogLevel | "off", number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, off: 5 };

/**
 * TF_LOG_PROVIDER, else TF_LOG, as Terraform reads them ("JSON" means trace). Unset: info and
 * above; Terraform discards plugin logs unless its own log is on, so these lines cost little.
 */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel | "off" {
  const raw = (env.TF_LOG_PROVIDER || env.TF_LOG || "").trim().toLowerCase();
  if (raw === "json") return "trace";
  if (raw in RANK) return raw as LogLevel | "off";
  return "info";
}

/** hclog's layout: microseconds, and go-plugin parses exactly that. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export interface LoggerOptions {
  level?: LogLevel | "off";
  write?: (line: string) => void;
  fields?: LogFields;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = RANK[options.level ?? logLevelFromEnv()];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const base = options.fields ?? {};

  const make = (fields: LogFields): Logger => {
    const log = (level: LogLevel) => (message: string, extra?: LogFields) => {
      if (RANK[level] < threshold) return;
      const entry: Record<string, unknown> = {
        "@level": level,
        "@message": message,
        "@timestamp": timestamp(new Date()),
      };
      for (const [key, value] of Object.entries({ ...fields, ...extra })) {
        if (value !== undefined && !key.startsWith("@")) entry[key] = value;
      }
      write(JSON.stringify(entry) + "\n");
    };
    return {
      trace: log("trace"),
      debug: log("debug"),
      info: log("info"),
      warn: log("warn"),
      error: log("error"),
      with: (more) => make({ ...fields, ...more }),
    };
  };
  return make(base);
}
