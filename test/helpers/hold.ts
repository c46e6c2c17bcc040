// Handing control between a test and an import it holds part-way: a promise
// with its resolve(), and an afterChunk hook that stops the import after its
// first chunk until the test lets it go (later chunks pass).

/** A promise and its resolve(). */
export function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

/** An afterChunk hook that holds the import after its first chunk until released. */
export function holdAfterFirstChunk(): { reached: Promise<void>; release: () => void; afterChunk: () => Promise<void> } {
  const reached = signal();
  const release = signal();
  let chunks = 0;
  return {
    reached: reached.promise,
    release: release.resolve,
    afterChunk: async () => {
      chunks += 1;
      if (chunks === 1) {
        reached.resolve();
        await release.promise;
      }
    },
  };
}
