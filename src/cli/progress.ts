// Progress of long work: a bar with records/s on a terminal (cli-progress, a
// well-kept library for exactly this), plain log lines every few seconds when
// stderr is not a terminal (cron, systemd, CI logs).
import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  update(records: number): void;
  stop(): void;
}

export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  const rate = (n: number): number => Math.round(n / Math.max(0.001, (Date.now() - started) / 1000));
  if (stream.isTTY) {
    const bar = new SingleBar(
      { format: `${label} {value} records | {rate} records/s | {duration_formatted}`, stream, hideCursor: true },
      Presets.shades_classic,
    );
    bar.start(0, 0, { rate: 0 });
    return {
      update: (n) => bar.update(n, { rate: rate(n) }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  let count = 0;
  return {
    update: (n) => {
      count = n;
      if (Date.now() - last < 5000) return;
      last = Date.now();
      stream.write(`${new Date().toISOString()} ${label}: ${n} records, ${rate(n)} records/s\n`);
    },
    stop: () => stream.write(`${new Date().toISOString()} ${label}: done, ${count} records, ${rate(count)} records/s\n`),
  };
}
