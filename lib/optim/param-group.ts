/**
 * A param group: PyTorch's `optimizer.param_groups[i]`, a record with PyTorch's key names, so
 * ported code reads `group.initial_lr` where Python read `group['initial_lr']`.
 */
export interface ParamGroup {
  lr: number;
  initial_lr?: number;
  /** SGD-with-momentum / RMSProp momentum. */
  momentum?: number;
  /** Adam / Adamax `[beta1, beta2]`; `beta1` is what momentum-cycling schedulers change. */
  betas?: number[];
  max_lr?: number;
  min_lr?: number;
  max_momentum?: number;
  base_momentum?: number;
  [key: string]: unknown;
}

/**
 * Anything with PyTorch-like param groups: a plain object, or the view of tfjs optimizers. A
 * group's `lr` reads back the number last written to it, as a plain property does (and the groups
 * over tfjs optimizers): schedulers record the values they write as their last learning rates,
 * where PyTorch reads the groups again.
 */
export interface ParamGroupsLike {
  paramGroups: ParamGroup[];
  /** How many optimizer updates have happened; enables the "scheduler stepped before optimizer" warning. */
  iterations?: number;
}

/**
 * Writes momentum as CyclicLR / OneCycleLR do: `betas[0]` when `useBeta1`, else `momentum`.
 * For a plain group the betas pair is updated in place (no allocation on the hot path).
 */
export function writeMomentum(group: ParamGroup, value: number, useBeta1: boolean): void {
  if (!useBeta1) {
    group.momentum = value;
    return;
  }
  if (isBetasOwner(group)) group.setBeta1(value);
  else (group.betas as number[])[0] = value;
}

interface BetasOwner {
  setBeta1(value: number): void;
}

function isBetasOwner(group: ParamGroup): group is ParamGroup & BetasOwner {
  return typeof (group as Partial<BetasOwner>).setBeta1 === 'function';
}
