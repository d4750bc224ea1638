import type { Readable, Writable } from 'node:stream';

/** The process a CLI command runs in, passed in so tests and embedding programs can give their own. */
export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly cwd: string;
  /** Ends --watch when aborted (tests, programs embedding the CLI); otherwise it runs until Ctrl-C. */
  readonly signal?: AbortSignal;
}
