// Where the output of the processes worker/dev/ starts (the dev server's error lines, a worker
// process's stdout and stderr) goes besides what each object keeps itself: nowhere by default
// (the bench reads what it needs from the objects), the test file's log under jest
// (test/support/quiet-logs.ts sets it: printed only when a test in the file fails).

type ChildOutputLog = (source: string, text: string) => void;

let log: ChildOutputLog | undefined;

/** Sends every child's output to `to` from now on (undefined: nowhere). */
export function logChildOutput(to: ChildOutputLog | undefined): void {
  log = to;
}

/** One chunk of a child's output, `source` naming the child (e.g. "worker process 1234"). */
export function childOutput(source: string, text: string): void {
  log?.(source, text);
}
