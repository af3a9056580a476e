/**
 * The CLI fuzzer's worker process (spec/cli/fuzz.spec.ts starts it with `fork`): runs each job's
 * command line through the same `main()` as the executable, and reports the exit status, what
 * stderr said, how much stdout it wrote, how long it took, and the process's peak memory. An
 * exception escaping `main()` is what the executable would print as a stack trace: a crash.
 */
import { performance } from 'node:perf_hooks';
import { main } from '../../lib/cli/main';

export interface FuzzJob {
  id: number;
  argv: string[];
  columns?: number;
}

export interface FuzzReport {
  id: number;
  status: number | null;
  stderr: string;
  stdoutBytes: number;
  thrown: string | null;
  ms: number;
  rss: number;
  maxRss: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

process.on('message', (job: FuzzJob) => {
  gc?.();
  let stdoutBytes = 0;
  let stderr = '';
  let status: number | null = null;
  let thrown: string | null = null;
  const start = performance.now();
  try {
    status = main(job.argv, {
      stdout: (text) => {
        stdoutBytes += text.length;
      },
      stderr: (text) => {
        if (stderr.length < 100_000) stderr += text;
      },
      columns: job.columns,
      color: false,
    });
  } catch (error) {
    thrown = (error instanceof Error ? (error.stack ?? error.message) : String(error)).split('\n').slice(0, 4).join(' | ');
  }
  const report: FuzzReport = {
    id: job.id,
    status,
    stderr,
    stdoutBytes,
    thrown,
    ms: performance.now() - start,
    rss: process.memoryUsage().rss,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
  process.send?.(report);
});
