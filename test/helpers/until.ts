// Waiting in a test for something another process does: `probe` is asked
// every few milliseconds until it answers, or the time runs out.

export async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
