/** The conformance file format (see FORMAT.md beside this file), as TypeScript types. */
import type { ScheduleConfig, SchedulerConfig } from '../../lib';

export type Encoded = number | string;

export interface ErrorRecord {
  type: string;
  message: string;
  origin: 'raise' | 'runtime';
}

export interface RecordedState {
  lr: Encoded[];
  momentum: Encoded[];
  last_lr: Encoded[] | null;
  last_epoch: Encoded | null;
  warnings: Array<{ category: string; message: string }>;
  value?: Encoded[];
  state?: unknown;
  error?: ErrorRecord;
}

export type Op =
  | { op: 'optimizer_step' }
  | { op: 'step'; epoch?: Encoded; metrics?: Encoded; target?: string }
  | { op: 'get_lr'; target?: string }
  | { op: 'save'; slot: string; target?: string }
  | { op: 'restore'; slot: string; optimizer?: boolean; relink?: boolean };

export interface Scenario extends ScheduleConfig {
  id: string;
  description?: string;
  tags?: string[];
  schedulers: SchedulerConfig[];
  driver: string;
  ops: Op[];
  expected: { construct: RecordedState; ops: RecordedState[] };
}

export interface ScenarioFile {
  format: string;
  format_version: number;
  scenarios: Scenario[];
}
