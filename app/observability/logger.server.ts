// Structured logs (pino). Secrets and buyer PII never reach a log line: known fields are redacted wherever they
// appear, and callers log ids, not payloads.
import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" || process.env.VITEST ? "silent" : "info"),
  base: { service: "agentic-checkout" },
  redact: {
    paths: [
      "*.authorization", "*.Authorization", "*.token", "*.accessToken", "*.secret", "*.apiKey", "*.password",
      "*.email", "*.phone", "*.phone_number", "*.address", "*.fulfillment_details", "*.buyer", "*.payment_data",
      "headers.authorization", "headers.cookie", "req.headers.authorization",
    ],
    censor: "[redacted]",
  },
});

export type Logger = typeof logger;
