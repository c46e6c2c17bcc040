// Structured JSON logs (pino: fast, the de-facto standard for Node services).
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'crm-bridge' } };
  return destination === undefined ? pino(options) : pino(options, destination);
}
