// Structured JSON logs (pino): one line per event, the task name on every task line, keys never logged.
import { type DestinationStream, type Logger as PinoLogger, pino } from "pino";

export type Logger = PinoLogger;

export type LoggerOptions = {
  level: string;
  destination?: DestinationStream | undefined;
  base?: Record<string, unknown>;
};

/** Any field named like a secret is censored wherever it appears. */
const REDACT = ["privateKey", "*.privateKey", "key", "*.key", "secret", "*.secret"];

export function createLogger(o: LoggerOptions): Logger {
  return pino(
    {
      level: o.level,
      base: { service: "keeper", ...o.base },
      redact: { paths: REDACT, censor: "[redacted]" },
      serializers: { err: pino.stdSerializers.err },
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: {
        // bigint is not JSON: log it as a decimal string.
        logMethod(args, method) {
          const [first, ...rest] = args;
          if (first && typeof first === "object") {
            return method.apply(this, [JSON.parse(JSON.stringify(first, bigintReplacer)), ...rest] as never);
          }
          return method.apply(this, args);
        },
      },
    },
    o.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

function bigintReplacer(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}
