// How much a process grows while something runs: the memory-bound tests' measure.

export const MB = 1024 * 1024;

/** The highest resident set size seen while `run` runs, above the one before it, in MB (this process: server and client when both run here). */
export async function peakRssGrowth(run: () => Promise<void>): Promise<number> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
  try {
    await run();
  } finally {
    clearInterval(sampler);
  }
  return (Math.max(peak, process.memoryUsage().rss) - before) / MB;
}
