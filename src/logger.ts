// Structured JSON logs (pino: fast, the de-facto standard for Node services).
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'crm-bridge' } });
}
