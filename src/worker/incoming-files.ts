import type { InputFile } from '../protocol/messages';

/**
 * The files of one ingest request, arriving in chunks: the page hands them over a thousand at a time
 * so that structured-cloning 50,000 File objects never blocks it. Decoding starts with the first chunk.
 */
export class IncomingFiles {
  readonly files: InputFile[] = [];
  private ended = false;
  private waiter: (() => void) | null = null;

  constructor(readonly expected: number) {}

  static of(files: InputFile[]): IncomingFiles {
    const source = new IncomingFiles(files.length);
    source.push(files);
    return source;
  }

  /** All expected files arrived, or the request was abandoned. */
  get complete(): boolean {
    return this.ended || this.files.length >= this.expected;
  }

  push(files: InputFile[]): void {
    for (const file of files) this.files.push(file);
    this.wake();
  }

  /** No more files will come (cancelled): a waiting decoder finishes with what it has. */
  end(): void {
    this.ended = true;
    this.wake();
  }

  /** Resolves when more files arrive or the request ends. */
  waitForMore(): Promise<void> {
    if (this.complete) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }
}
