/**
 * What a fuzz target is, and the tally every target keeps. A target is a module
 * `spec/<area>/<name>.fuzz.ts` whose default export is a `FuzzTarget`; `npm run fuzz` finds every
 * such module (spec/fuzz/run.ts), runs each in its own process at its full size and prints one
 * table; `npm test` runs each at its slice size (spec/fuzz/fuzz.spec.ts).
 *
 * Each input ends as exactly one of: a typed rejection (the error the API promises), accepted, a
 * crash (anything else thrown, or a broken promise of the API), a partial change (a rejected input
 * changed something, or an accepted one was applied only in part), or a hang (an input that took
 * longer than `HANG_MS`; a process that stops making progress is killed and counted too).
 */

export interface FuzzTarget {
  /** Short name, for `npm run fuzz -- <name>` and the report. */
  readonly name: string;
  /** What one input is: "scheduler / optimizer states". */
  readonly inputs: string;
  /** How many inputs `npm run fuzz` runs. */
  readonly fullRuns: number;
  /** How many inputs the `npm test` slice runs. */
  readonly sliceRuns: number;
  /** Runs about `runs` inputs, recording each outcome in `tally`. */
  run(runs: number, tally: FuzzTally): Promise<void>;
}

/** An input that takes longer than this counts as a hang. */
export const HANG_MS = 10_000;

export type Outcome = 'rejected' | 'accepted' | 'crash' | 'partial' | 'hang';

export interface FuzzCounts {
  inputs: number;
  rejected: number;
  accepted: number;
  crash: number;
  partial: number;
  hang: number;
}

export class FuzzTally {
  readonly counts: FuzzCounts = { inputs: 0, rejected: 0, accepted: 0, crash: 0, partial: 0, hang: 0 };
  /** The first few failures, to reproduce them. */
  readonly failures: string[] = [];
  /** Further figures a target reports (e.g. "of which re-signed": 1200). */
  readonly notes: Record<string, number> = {};
  #lastProgress = 0;

  constructor(private readonly onProgress?: (counts: FuzzCounts) => void) {}

  record(outcome: Outcome, detail?: string, elapsedMs = 0): void {
    const final: Outcome = elapsedMs > HANG_MS && outcome !== 'crash' && outcome !== 'partial' ? 'hang' : outcome;
    this.counts.inputs += 1;
    this.counts[final] += 1;
    if ((final === 'crash' || final === 'partial' || final === 'hang') && this.failures.length < 10) {
      this.failures.push(`${final}: ${detail ?? ''}${final === 'hang' ? ` (${elapsedMs} ms)` : ''}`);
    }
    const now = Date.now();
    if (this.onProgress !== undefined && now - this.#lastProgress > 250) {
      this.#lastProgress = now;
      this.onProgress(this.counts);
    }
  }

  note(name: string, amount = 1): void {
    this.notes[name] = (this.notes[name] ?? 0) + amount;
  }
}

/** Runs `input` and records its outcome: `classify` names a thrown error's outcome (typed rejection, or crash). */
export async function recordInput(
  tally: FuzzTally,
  input: () => Promise<Outcome> | Outcome,
  classify: (error: unknown) => { outcome: Outcome; detail: string },
): Promise<void> {
  const started = Date.now();
  let outcome: Outcome;
  let detail: string | undefined;
  try {
    outcome = await input();
  } catch (error) {
    ({ outcome, detail } = classify(error));
  }
  tally.record(outcome, detail, Date.now() - started);
}

/** A failure found while checking an input: the outcome it counts as, and why. */
export class FuzzFailure extends Error {
  constructor(
    readonly outcome: 'crash' | 'partial',
    message: string,
  ) {
    super(message);
  }
}

/** A small deterministic random source (mulberry32), so a run can be repeated from its seed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
