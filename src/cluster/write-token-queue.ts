// The primary's side of the write lock (store/sqlite/write-lock.ts): one write
// transaction at a time across the workers, granted in the order asked. A
// worker that dies holding the turn or waiting for one loses it, and the next
// in line goes on; SQLite has rolled back whatever that worker had begun.
export class WriteTokenQueue {
  private holder: number | undefined;
  private readonly waiting: number[] = [];

  /** `grant(worker)` tells a worker it may write now. */
  constructor(private readonly grant: (worker: number) => void) {}

  request(worker: number): void {
    this.waiting.push(worker);
    this.next();
  }

  release(worker: number): void {
    if (this.holder !== worker) return;
    this.holder = undefined;
    this.next();
  }

  /** The worker has exited. */
  forget(worker: number): void {
    for (let i = this.waiting.indexOf(worker); i !== -1; i = this.waiting.indexOf(worker)) this.waiting.splice(i, 1);
    this.release(worker);
  }

  private next(): void {
    if (this.holder !== undefined) return;
    const worker = this.waiting.shift();
    if (worker === undefined) return;
    this.holder = worker;
    this.grant(worker);
  }
}
