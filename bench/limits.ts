/**
 * The limit of each class: a hand-written loop of its sample's formula (spec/helpers/sample-schedules.ts)
 * over two plain param groups, with the same `pymath` calls the class needs to match PyTorch bit
 * for bit (a `cos`, a `pow`), and nothing else: no base class, no flags, no recorded last lrs, no
 * state beyond the formula's. As in PyTorch's `get_lr` and its write loop, every group's lr is
 * assigned every step (plain objects: a store). `checkLimit` verifies that a limit produces the
 * class's own learning rates (and momentums), bit for bit, so a limit is never a cheaper formula.
 *
 * Each limit keeps its state in a plain object, `steps(state, n)` advances it by `n` steps.
 */
import { pymath } from './library';

interface Group {
  lr: number;
  initial_lr: number;
  momentum: number;
}

export interface LimitState {
  groups: Group[];
  epoch: number;
  /** Per-limit scratch state (a cached cosine, counters). */
  a: number;
  b: number;
  c: number;
}

export interface Limit {
  /** The two groups of the sample, as the class's construction leaves them. */
  start(): LimitState;
  steps(state: LimitState, count: number): void;
  /** Compare momentum too (CyclicLR, OneCycleLR). */
  momentum?: boolean;
}

function state(lrs: readonly number[], momentums: readonly number[] = [0, 0], initial: readonly number[] = lrs): LimitState {
  return {
    groups: lrs.map((lr, i) => ({ lr, initial_lr: initial[i], momentum: momentums[i] })),
    epoch: 0,
    a: Number.NaN,
    b: 0,
    c: 0,
    };
  }

  /** Python's `max(a, b)`: `a` unless `b` is greater. */
  function pyMax(a: number, b: number): number {
    return b > a ? b : a;
  }

  const ONE_CYCLE_MAX = [0.5, 0.25];
  const ONE_CYCLE_INITIAL = ONE_CYCLE_MAX.map((max) => max / 25.0);
  const ONE_CYCLE_MIN = ONE_CYCLE_INITIAL.map((initial) => initial / 1e4);
  const ONE_CYCLE_FIRST_END = 0.3 * 1000 - 1;
const SWA_LRS = [0.01, 0.02];

  /** ReduceLROnPlateau's metric at step `i` (bench/cases.ts `PLATEAU_METRICS`). */
  export function plateauMetric(i: number): number {
    return 1 / (1 + (i % 7));
  }

  /** The limits, by class name (built after `loadLibrary()`: they call the compiled build's pymath). */
export function makeLimits(): Readonly<Record<string, Limit>> {
  const { cos, pow, PI } = pymath;
  return {
    // step_size 3, gamma 0.5
    StepLR: {
      start: () => state([0.1, 0.05]),
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) {
          const decay = ++s.epoch % 3 === 0;
          for (let i = 0; i < groups.length; i++) groups[i].lr = decay ? groups[i].lr * 0.5 : groups[i].lr;
        }
      },
    },
    // milestones [2, 5, 5, 9], gamma 0.5
    MultiStepLR: {
      start: () => state([0.1, 0.05]),
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) {
          const epoch = ++s.epoch;
          const times = epoch === 2 || epoch === 9 ? 1 : epoch === 5 ? 2 : 0;
          for (let i = 0; i < groups.length; i++) groups[i].lr = times === 0 ? groups[i].lr : groups[i].lr * pow(0.5, times);
        }
      },
    },
    // factor 0.5, total_iters 4
    ConstantLR: {
      start: () => state([0.1 * 0.5, 0.05 * 0.5], undefined, [0.1, 0.05]),
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) {
          const reached = ++s.epoch === 4;
          for (let i = 0; i < groups.length; i++) groups[i].lr = reached ? groups[i].lr * (1.0 / 0.5) : groups[i].lr;
        }
      },
    },
    // start_factor 0.25, end_factor 1.0, total_iters 5
    LinearLR: {
      start: () => state([0.1 * 0.25, 0.05 * 0.25], undefined, [0.1, 0.05]),
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) {
          const epoch = ++s.epoch;
          if (epoch > 5) {
            for (let i = 0; i < groups.length; i++) groups[i].lr = groups[i].lr;
            continue;
          }
          const multiplier = 1.0 + (1.0 - 0.25) / (5 * 0.25 + (epoch - 1) * (1.0 - 0.25));
          for (let i = 0; i < groups.length; i++) groups[i].lr = groups[i].lr * multiplier;
        }
      },
    },
    // gamma 0.9
    ExponentialLR: {
      start: () => state([0.1, 0.05]),
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) for (let i = 0; i < groups.length; i++) groups[i].lr = groups[i].lr * 0.9;
      },
    },
    // total_iters 8, power 2
    PolynomialLR: {
      start: () => state([0.1, 0.05]),
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) {
          const epoch = ++s.epoch;
          if (epoch > 8) {
            for (let i = 0; i < groups.length; i++) groups[i].lr = groups[i].lr;
            continue;
          }
          const factor = pow((1.0 - epoch / 8) / (1.0 - (epoch - 1) / 8), 2.0);
          for (let i = 0; i < groups.length; i++) groups[i].lr = groups[i].lr * factor;
        }
      },
    },
    // lr_lambda: 0.95 ** epoch, called for each group as PyTorch calls it
    LambdaLR: {
      start: () => state([0.1, 0.05]),
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) {
          const epoch = ++s.epoch;
          for (let i = 0; i < groups.length; i++) groups[i].lr = groups[i].initial_lr * pow(0.95, epoch);
        }
      },
    },
    // lr_lambda: 0.9
    MultiplicativeLR: {
      start: () => state([0.1, 0.05]),
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) for (let i = 0; i < groups.length; i++) groups[i].lr = groups[i].lr * 0.9;
      },
    },
    // T_max 10, eta_min 0.001: the chainable form with PyTorch's branch at the minimum, one cos per step
    CosineAnnealingLR: {
      start: () => {
        const s = state([0.1, 0.05]);
        s.a = cos((PI * 0) / 10);
        return s;
      },
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) {
          const epoch = ++s.epoch;
          const now = cos((PI * epoch) / 10);
          if ((epoch - 1 - 10) % 20 === 0) {
            const rise = 1 - cos(PI / 10);
            for (let i = 0; i < groups.length; i++) groups[i].lr = groups[i].lr + ((groups[i].initial_lr - 0.001) * rise) / 2;
          } else {
            const ratio = (1 + now) / (1 + s.a);
            for (let i = 0; i < groups.length; i++) groups[i].lr = ratio * (groups[i].lr - 0.001) + 0.001;
          }
          s.a = now;
        }
      },
    },
    // T_0 3, T_mult 2, eta_min 0.001; b = T_cur, c = T_i
    CosineAnnealingWarmRestarts: {
      start: () => {
        const s = state([0.1, 0.05]);
        s.c = 3;
        return s;
      },
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) {
          s.b += 1;
          if (s.b >= s.c) {
            s.b = s.b % s.c;
            s.c = s.c * 2;
          }
          const factor = 1 + cos((PI * s.b) / s.c);
          for (let i = 0; i < groups.length; i++) groups[i].lr = 0.001 + ((groups[i].initial_lr - 0.001) * factor) / 2;
        }
      },
    },
    // base_lr 0.01, max_lr 0.1, step_size_up 4, triangular2; momentum 0.8 - 0.9
    CyclicLR: {
      momentum: true,
      start: () => state([0.01, 0.01], [0.9, 0.9]),
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) {
          const epoch = ++s.epoch;
          const cycle = Math.floor(1 + epoch / 8);
          const x = 1.0 + epoch / 8 - cycle;
          const scaleFactor = x <= 0.5 ? x / 0.5 : (x - 1) / (0.5 - 1);
          const scale = 1 / pow(2.0, cycle - 1);
          for (let i = 0; i < groups.length; i++) {
            const group = groups[i];
            group.lr = 0.01 + (0.1 - 0.01) * scaleFactor * scale;
            group.momentum = 0.9 - (0.9 - 0.8) * scaleFactor * scale;
          }
        }
      },
    },
    // max_lr [0.5, 0.25], total_steps 1000, two cos phases; momentum 0.95 - 0.85
    OneCycleLR: {
      momentum: true,
      start: () => state(ONE_CYCLE_INITIAL, [0.95, 0.95]),
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) {
          const step = ++s.epoch;
          const first = step <= ONE_CYCLE_FIRST_END;
          const startStep = first ? 0.0 : ONE_CYCLE_FIRST_END;
          const pct = (step - startStep) / ((first ? ONE_CYCLE_FIRST_END : 1000 - 1) - startStep);
          const cosOut = cos(PI * pct) + 1;
          for (let i = 0; i < groups.length; i++) {
            const group = groups[i];
            const startLr = first ? ONE_CYCLE_INITIAL[i] : ONE_CYCLE_MAX[i];
            const endLr = first ? ONE_CYCLE_MAX[i] : ONE_CYCLE_MIN[i];
            group.lr = endLr + ((startLr - endLr) / 2.0) * cosOut;
            const startMomentum = first ? 0.95 : 0.85;
            const endMomentum = first ? 0.85 : 0.95;
            group.momentum = endMomentum + ((startMomentum - endMomentum) / 2.0) * cosOut;
          }
        }
      },
    },
    // factor 0.5, patience 2 (min mode, rel threshold 1e-4, no cooldown, min_lr 0, eps 1e-8); a = best, b = bad epochs
    ReduceLROnPlateau: {
      start: () => {
        const s = state([0.1, 0.05]);
        s.a = Infinity;
        return s;
      },
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) {
          const metric = plateauMetric(s.epoch++);
          if (metric < s.a * (1.0 - 1e-4)) {
            s.a = metric;
            s.b = 0;
          } else if (++s.b > 2) {
            for (let i = 0; i < groups.length; i++) {
              const oldLr = groups[i].lr;
              const newLr = pyMax(oldLr * 0.5, 0);
              if (oldLr - newLr > 1e-8) groups[i].lr = newLr;
            }
            s.b = 0;
          }
        }
      },
    },
    // LinearLR(start_factor 0.1, total_iters 3), then ExponentialLR(0.9) from milestone 3
    SequentialLR: {
      start: () => state([0.1 * 0.1, 0.05 * 0.1], undefined, [0.1, 0.05]),
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) {
          const epoch = ++s.epoch;
          if (epoch < 3) {
            const multiplier = 1.0 + (1.0 - 0.1) / (3 * 0.1 + (epoch - 1) * (1.0 - 0.1));
            for (let i = 0; i < groups.length; i++) groups[i].lr = groups[i].lr * multiplier;
          } else if (epoch === 3) {
            for (let i = 0; i < groups.length; i++) groups[i].lr = groups[i].initial_lr * pow(0.9, 0);
          } else {
            for (let i = 0; i < groups.length; i++) groups[i].lr = groups[i].lr * 0.9;
          }
        }
      },
    },
    // ConstantLR(factor 0.5, total_iters 2), then ExponentialLR(0.9), both every step
    ChainedScheduler: {
      start: () => state([0.1 * 0.5, 0.05 * 0.5], undefined, [0.1, 0.05]),
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) {
          const epoch = ++s.epoch;
          for (let i = 0; i < groups.length; i++) {
            const lr = epoch === 2 ? groups[i].lr * (1.0 / 0.5) : groups[i].lr;
            groups[i].lr = lr * 0.9;
          }
        }
      },
    },
    // swa_lr [0.01, 0.02], anneal_epochs 5, cos; a = the last alpha, b = its t (one cos per step at most)
    SWALR: {
      start: () => {
        const s = state([0.1, 0.05]);
        s.a = 0;
        s.b = 0;
        return s;
      },
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) {
          const step = ++s.epoch;
          const prevAlpha = s.a;
          const t = step / 5 < 1 ? step / 5 : 1;
          const alpha = t === s.b ? s.a : (1 - cos(PI * t)) / 2;
          for (let i = 0; i < groups.length; i++) {
            const swaLr = SWA_LRS[i];
            const previous = prevAlpha === 1 ? swaLr : (groups[i].lr - prevAlpha * swaLr) / (1 - prevAlpha);
            groups[i].lr = swaLr * alpha + previous * (1 - alpha);
          }
          s.a = alpha;
          s.b = t;
        }
      },
    },
    // transformers' cosine with 5 warm-up steps over 500, its lambda called for each group (a LambdaLR)
    getCosineScheduleWithWarmup: {
      start: () => state([0, 0], undefined, [0.1, 0.05]),
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) {
          const step = ++s.epoch;
          for (let i = 0; i < groups.length; i++) {
            let factor: number;
            if (step < 5) factor = step / 5;
            else {
              const cosine = 0.5 * (1.0 + cos(PI * 0.5 * 2.0 * ((step - 5) / (500 - 5))));
              const scaled = cosine * (1 - 0.0) + 0.0;
              factor = scaled > 0 ? scaled : 0;
            }
            groups[i].lr = groups[i].initial_lr * factor;
          }
        }
      },
    },
    // multiplier 2, total_epoch 4, then CosineAnnealingLR(T_max 20) with base lrs x2; a = the cached cos
    GradualWarmupScheduler: {
      start: () => state([0.1, 0.05]),
      steps: (s, count) => {
        const groups = s.groups;
        for (let n = 0; n < count; n++) {
          const epoch = ++s.epoch;
          if (epoch <= 4) {
            for (let i = 0; i < groups.length; i++) groups[i].lr = groups[i].initial_lr * (((2 - 1) * epoch) / 4 + 1);
          } else if (epoch === 5) {
            // the hand-off: the after-scheduler's last lrs (its initial step's), then it steps from there
            for (let i = 0; i < groups.length; i++) groups[i].lr = groups[i].initial_lr;
            s.a = cos(0);
            s.b = 0;
          } else {
            const afterEpoch = ++s.b;
            const now = cos((PI * afterEpoch) / 20);
            if ((afterEpoch - 1 - 20) % 40 === 0) {
              const rise = 1 - cos(PI / 20);
              for (let i = 0; i < groups.length; i++) groups[i].lr = groups[i].lr + ((groups[i].initial_lr * 2 - 0) * rise) / 2;
            } else {
              const ratio = (1 + now) / (1 + s.a);
              for (let i = 0; i < groups.length; i++) groups[i].lr = ratio * (groups[i].lr - 0) + 0;
            }
            s.a = now;
          }
        }
      },
    },
  };
}

/** Where a limit's learning rates (and momentums) differ from the class's, or `null` when they are the same bits. */
export function checkLimit(
  limit: Limit,
  classTrace: ReadonlyArray<readonly number[]>,
): string | null {
  const s = limit.start();
  for (let k = 0; k < classTrace.length; k++) {
    limit.steps(s, 1);
    const expected = classTrace[k];
    const actual = s.groups.flatMap((g) => (limit.momentum ? [g.lr, g.momentum] : [g.lr]));
    for (let j = 0; j < expected.length; j++) {
      if (!Object.is(expected[j], actual[j])) return `step ${k + 1}: the class gives ${expected.join(', ')}, the limit ${actual.join(', ')}`;
    }
  }
  return null;
}
