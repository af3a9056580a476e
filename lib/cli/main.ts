/**
 * `tfjs-lr-scheduler`: look at a schedule before training on it.
 *
 *   tfjs-lr-scheduler plot CONFIG [--steps N] [--out FILE.svg|.png|.csv|.json] [--width W --height H] [--log]
 *   tfjs-lr-scheduler describe CONFIG [--steps N]
 *
 * CONFIG (a JSON file or inline JSON) is read by `fromConfig` and run on the tensor-free
 * VirtualOptimizer: no tfjs needed.
 */
import { closeSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/from-config';
import { LRSchedulerError } from '../errors';
import { camelCaseOption } from '../registry';
import { decodeFloat } from '../state/encoding';
import { setWarningHandler } from '../warnings';
import { CliError, ConfigPlaceError, locate, parseJson, readConfigSource, toPlotConfig, type ConfigSource, type PlotConfig } from './config-file';
import { describeTrace } from './describe';
import { shortNumber, writeCsv, writeJson } from './formats';
import {
  grouped,
  IMAGE_HEIGHT,
  IMAGE_WIDTH,
  MAX_CHART_GROUPS,
  MAX_IMAGE_PIXELS,
  MAX_OUTPUT_BYTES,
  MAX_STEPS,
  TERMINAL_HEIGHT,
  TERMINAL_WIDTH,
} from './limits';
import { svgToPng } from './png';
import { svgChart } from './svg-chart';
import { terminalChart } from './terminal-chart';
import { ScheduleStepError, traceSchedule, type Trace } from './trace';

const USAGE = `Usage:
  tfjs-lr-scheduler plot CONFIG [--steps N] [--out FILE] [--width W] [--height H] [--log] [--quiet]
  tfjs-lr-scheduler describe CONFIG [--steps N] [--quiet]

CONFIG is a JSON file, or inline JSON: {"optimizer": {"kind": "sgd", "groups": [{"lr": 0.1}]},
"schedulers": [{"id": "s", "type": "StepLR", "args": {"step_size": 30}}], "driver": "s", "steps": 100}
(PyTorch class names and keyword arguments, as in the conformance format; "ops" instead of "steps"
for ReduceLROnPlateau metrics or step(epoch) schedules).

Options:
  --steps N      how many scheduler steps to run (default: the config's "steps", else 100)
  --out FILE     write FILE.svg, FILE.png, FILE.csv or FILE.json instead of drawing in the terminal
  --width W      chart width: terminal columns (default: fit the terminal) or pixels (default 800)
  --height H     chart height: terminal rows (default 12) or pixels (default 400)
  --log          logarithmic lr axis
  -q, --quiet    do not print the library's warnings
  -h, --help     show this help
  --version      print the version`;

/** Where the command writes; replaceable for tests. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Terminal columns of stdout, or undefined when it is not a terminal. */
  columns?: number;
  color: boolean;
}

const OUT_FORMATS = ['.svg', '.png', '.csv', '.json'];
const VALUE_OPTIONS = ['--steps', '--out', '-o', '--width', '--height'];

/** A mistake in the command line: exit status 2, with the usage unless it is a bad option value. */
class UsageError extends Error {
  constructor(message: string, readonly showUsage = true) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An integer option in [min, max]; a bad value is a one-line error. */
function integerOption(raw: string | undefined, name: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`--${name} must be an integer from ${grouped(min)} to ${grouped(max)}, got "${raw}" (see --help)`, false);
  }
  return Number(raw);
}

/**
 * `--steps -1` as `--steps=-1`: node's parser takes a value that starts with a dash for an option
 * ("argument is ambiguous"); this way the value check answers instead.
 */
function joinDashedValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (VALUE_OPTIONS.includes(argv[i]) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${argv[i]}=${next}`);
      i += 1;
    } else out.push(argv[i]);
  }
  return out;
}

/**
 * Writes an output file completely or not at all: into a temporary file beside it, renamed into
 * place (a device or FIFO such as /dev/stdout is written directly). Stops at MAX_OUTPUT_BYTES.
 */
function writeOutput(out: string, write: (sink: (chunk: string | Uint8Array) => void) => void): void {
  const fail = (error: unknown): CliError => new CliError(`${out}: cannot write: ${(error as Error).message.split('\n')[0]}`);
  let target = out;
  let direct = false;
  try {
    const existing = statSync(out, { throwIfNoEntry: false });
    if (existing?.isDirectory()) throw new CliError(`${out}: cannot write: is a directory`);
    if (existing !== undefined) {
      target = realpathSync(out);
      direct = !existing.isFile();
    }
  } catch (error) {
    throw error instanceof CliError ? error : fail(error);
  }
  const temp = direct ? target : join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  let fd: number | undefined;
  let bytes = 0;
  try {
    fd = openSync(temp, 'w');
    const handle = fd;
    write((chunk) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      bytes += buffer.length;
      if (bytes > MAX_OUTPUT_BYTES) throw new CliError(`${out}: the output would be larger than ${grouped(MAX_OUTPUT_BYTES / 2 ** 20)} MB: lower --steps`);
      for (let done = 0; done < buffer.length; ) done += writeSync(handle, buffer, done);
    });
    closeSync(fd);
    fd = undefined;
    if (!direct) renameSync(temp, target);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    if (!direct) rmSync(temp, { force: true });
    if (error instanceof CliError) throw error;
    if (typeof (error as NodeJS.ErrnoException).code === 'string') throw fail(error);
    throw error;
  }
}

function title(trace: Trace, plot: PlotConfig): string {
  const optimizer = plot.schedule.optimizer;
  const lrs = Array.isArray(optimizer?.groups)
    ? optimizer.groups.map((g) => {
        const lr = typeof g?.lr === 'object' && g.lr !== null ? decodeFloat((g.lr as { float?: unknown }).float) : g?.lr;
        return typeof lr === 'number' ? shortNumber(lr, 6) : '?';
      })
    : [];
  const groups = `${trace.groupCount} param group${trace.groupCount === 1 ? '' : 's'}`;
  const steps = `${trace.pointCount - 1} step${trace.pointCount === 2 ? '' : 's'}`;
  return `${trace.driverType} "${trace.driverId}" · ${optimizer?.kind ?? '?'} lr ${lrs.join(', ')} · ${groups} · ${steps}`;
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The path of the argument a constructor error is about: `schedulers[0].args.gamma` for
 * `schedulers[0] (StepLR "s"): StepLR: option "gamma" must be ...`, so the location points at it.
 */
function optionPath(error: { path: string; message: string }, plot: PlotConfig | undefined): string | undefined {
  const scheduler = /^schedulers\[(\d+)\] /.exec(error.path);
  const option = /option "(\w+)"/.exec(error.message);
  const specs = plot?.schedule.schedulers;
  if (!scheduler || !option || !Array.isArray(specs)) return undefined;
  const args = specs[Number(scheduler[1])]?.args;
  if (typeof args !== 'object' || args === null) return undefined;
  const key = Object.keys(args).find((name) => camelCaseOption(name) === option[1]);
  return key === undefined ? undefined : `schedulers[${scheduler[1]}].args.${key}`;
}

/** The one line printed for a user error (a configuration or schedule problem). */
function userErrorLine(error: unknown, source: ConfigSource | undefined, plot: PlotConfig | undefined): string | undefined {
  if (error instanceof CliError) return error.message;
  if ((error instanceof ConfigError || error instanceof ConfigPlaceError) && source) {
    return `${locate(source, optionPath(error, plot) ?? error.path)}: ${error.message}`;
  }
  if (error instanceof ScheduleStepError) {
    if (!(error.error instanceof LRSchedulerError)) return undefined;
    const inner = error.error.message;
    const where = plot?.explicitOps && source ? `${locate(source, `ops[${error.opIndex}]`)}: ops[${error.opIndex}]` : `${source?.name ?? 'config'}: step ${error.step}`;
    let hint = plot?.explicitOps === false && /metrics/.test(inner) ? ' (list "ops" with "metrics" in the configuration instead of "steps")' : '';
    if (error.scheduleLength !== undefined && error.step > error.scheduleLength) {
      hint = ` (the schedule lasts ${error.scheduleLength} steps: set "steps" to at most ${error.scheduleLength}, or leave it out)`;
    }
    return `${where}: ${inner}${hint}`;
  }
  if (error instanceof LRSchedulerError) return `${source?.name ?? 'config'}: ${error.message}`;
  return undefined;
}

/** Runs the command line; returns the exit status (0 ok, 1 configuration error, 2 usage error). */
export function main(argv: readonly string[], io: CliIO): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinDashedValues(argv),
      allowPositionals: true,
      strict: true,
      options: {
        steps: { type: 'string' },
        out: { type: 'string', short: 'o' },
        width: { type: 'string' },
        height: { type: 'string' },
        log: { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (error) {
    io.stderr(`error: ${(error as Error).message.split('\n')[0]}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    io.stdout(`${version()}\n`);
    return 0;
  }
  let source: ConfigSource | undefined;
  let plot: PlotConfig | undefined;
  const shownWarnings = new Set<string>();
  const previousHandler = setWarningHandler(({ category, message }) => {
    const text = `${category}: ${message}`;
    if (values.quiet || shownWarnings.has(text)) return;
    shownWarnings.add(text);
    io.stderr(`warning: ${text}\n`);
  });
  try {
    const [command, configArgument, ...extra] = positionals;
    if (command === undefined) throw new UsageError('missing command (plot or describe)');
    if (command !== 'plot' && command !== 'describe') throw new UsageError(`unknown command "${command}" (expected plot or describe)`);
    if (configArgument === undefined) throw new UsageError(`${command}: missing CONFIG (a JSON file or inline JSON)`);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    if (command === 'describe') {
      for (const name of ['out', 'width', 'height', 'log'] as const) {
        if (values[name] !== undefined) throw new UsageError(`describe does not take --${name}`);
      }
    }
    const out = values.out;
    const format = out === undefined ? undefined : extname(out).toLowerCase();
    if (format !== undefined && !OUT_FORMATS.includes(format)) {
      throw new UsageError(`--out must name a .svg, .png, .csv or .json file, got "${out}"`);
    }
    const image = format === '.svg' || format === '.png';
    const steps = integerOption(values.steps, 'steps', 0, MAX_STEPS);
    const widthLimits = image ? IMAGE_WIDTH : TERMINAL_WIDTH;
    const heightLimits = image ? IMAGE_HEIGHT : TERMINAL_HEIGHT;
    const width = integerOption(values.width, 'width', widthLimits.min, widthLimits.max);
    const height = integerOption(values.height, 'height', heightLimits.min, heightLimits.max);
    if (image && (width ?? 800) * (height ?? 400) > MAX_IMAGE_PIXELS) {
      throw new UsageError(
        `--width ${width ?? 800} --height ${height ?? 400} is ${grouped((width ?? 800) * (height ?? 400))} pixels, more than the ${grouped(MAX_IMAGE_PIXELS)} a chart may have (see --help)`,
        false,
      );
    }
    const chart = command === 'plot' && (out === undefined || image);

    source = readConfigSource(configArgument);
    plot = toPlotConfig(parseJson(source), steps);
    const groups = (plot.schedule.optimizer as { groups?: unknown } | undefined)?.groups;
    if (chart && Array.isArray(groups) && groups.length > MAX_CHART_GROUPS) {
      throw new CliError(`a chart draws at most ${MAX_CHART_GROUPS} param groups, the configuration has ${grouped(groups.length)}: write .csv or .json instead`);
    }
    const trace = traceSchedule(plot);
    const heading = title(trace, plot);

    if (command === 'describe') {
      io.stdout(describeTrace(trace, heading));
      return 0;
    }
    if (out === undefined) {
      const columns = width ?? (io.columns !== undefined ? Math.max(20, io.columns - 14) : 101);
      io.stdout(terminalChart(trace, heading, { width: columns, height: height ?? 12, logScale: values.log === true, color: io.color }));
      return 0;
    }
    if (format === '.csv') writeOutput(out, (sink) => writeCsv(trace, sink));
    else if (format === '.json') writeOutput(out, (sink) => writeJson(trace, sink));
    else {
      const svg = svgChart(trace, { width: width ?? 800, height: height ?? 400, logScale: values.log === true, title: heading });
      if (format === '.png') {
        const png = svgToPng(svg);
        writeOutput(out, (sink) => sink(png));
      } else writeOutput(out, (sink) => sink(svg));
    }
    const points = `${trace.pointCount} point${trace.pointCount === 1 ? '' : 's'}`;
    io.stderr(`wrote ${out} (${points}, ${trace.groupCount} param group${trace.groupCount === 1 ? '' : 's'})\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(error.showUsage ? `error: ${error.message}\n\n${USAGE}\n` : `error: ${error.message}\n`);
      return 2;
    }
    const line = userErrorLine(error, source, plot);
    if (line !== undefined) {
      io.stderr(`error: ${line}\n`);
      return 1;
    }
    throw error instanceof ScheduleStepError ? error.error : error;
  } finally {
    setWarningHandler(previousHandler);
  }
}
