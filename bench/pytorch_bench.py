"""PyTorch's own schedulers, timed like bench/worker.ts times ours.

    python3 bench/pytorch_bench.py <configs.json> <out.json>

<configs.json> is written by bench/run.ts: per class, the sample configuration in the conformance
language (spec/conformance/FORMAT.md: optimizer kind and groups, PyTorch class names and keyword
arguments, {"ref"}, {"fn"}, {"float"}), plus the loop sizes. Each class is built exactly as a
PyTorch user would build it (one dummy parameter per param group), the optimizer is stepped once
so the "scheduler before optimizer" check never warns, and step() is timed on fresh schedules.
Without torch, <out.json> says so and nothing is timed.
"""
import json
import math
import os
import platform
import sys
import time
import warnings


def python_lambda(spec):
    """The lambda vocabulary of FORMAT.md, as the exact Python expressions it names."""
    fn = spec["fn"]
    p = {k: v for k, v in spec.items() if k != "fn"}
    if fn == "pow":
        base = p["base"]
        return lambda e: base ** e
    if fn == "floordiv":
        d = p["d"]
        return lambda e: e // d
    if fn == "const":
        c = p["c"]
        return lambda e: c
    if fn == "step_pow":
        base, d = p["base"], p["d"]
        return lambda e: base ** (e // d)
    if fn == "mod_switch":
        period, a, b = p["p"], p["a"], p["b"]
        return lambda e: a if e % period == 0 else b
    if fn == "exp":
        k = p["k"]
        return lambda e: math.exp(-k * e)
    if fn == "linear_warmup":
        w = p["w"]
        return lambda e: min(1.0, (e + 1) / w)
    if fn == "inv_sqrt":
        w = p["w"]
        return lambda e: 1 / math.sqrt(max(e, w))
    if fn == "half_pow":
        return lambda x: 0.5 ** (x - 1)
    raise ValueError(f"lambda {fn!r} is not in the benchmark's vocabulary")


def decode(value, built, optimizer):
    if isinstance(value, list):
        return [decode(v, built, optimizer) for v in value]
    if isinstance(value, dict):
        if "ref" in value:
            return optimizer if value["ref"] == "$optimizer" else built[value["ref"]]
        if "fn" in value:
            return python_lambda(value)
        if "float" in value:
            return float(value["float"])
        raise ValueError(f"unexpected argument object {value!r}")
    return value


def make_optimizer(torch, config):
    kind = config["kind"]
    groups = []
    for raw in config["groups"]:
        group = {k: decode(v, {}, None) for k, v in raw.items()}
        group["params"] = [torch.zeros(1, requires_grad=True)]
        if kind == "sgd_momentum":
            group.setdefault("momentum", 0.9)
        groups.append(group)
    if kind in ("sgd", "sgd_momentum"):
        return torch.optim.SGD(groups, lr=groups[0]["lr"])
    if kind == "adam":
        return torch.optim.Adam(groups, lr=groups[0]["lr"])
    raise ValueError(f"unknown optimizer kind {kind!r}")


def scheduler_class(torch, name):
    if hasattr(torch.optim.lr_scheduler, name):
        return getattr(torch.optim.lr_scheduler, name)
    if name == "SWALR":
        from torch.optim.swa_utils import SWALR

        return SWALR
    if name.startswith("get_"):
        # transformers' schedule functions, as the fixtures record them (transformers itself is
        # used when it is installed; the copy is the same code, checked against its recordings)
        try:
            from transformers import optimization as hf
        except ImportError:
            sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec", "fixtures", "transformers"))
            import hf_optimization as hf
        return getattr(hf, name)
    if name == "GradualWarmupScheduler":
        from warmup_scheduler import GradualWarmupScheduler  # ildoonet/pytorch-gradual-warmup-lr, if installed

        return GradualWarmupScheduler
    raise ValueError(f"no PyTorch class {name}")


def build(torch, config):
    optimizer = make_optimizer(torch, config["optimizer"])
    built = {}
    last = None
    for spec in config["schedulers"]:
        cls = scheduler_class(torch, spec["type"])
        kwargs = {k: decode(v, built, optimizer) for k, v in spec.get("args", {}).items()}
        if spec["type"] == "ChainedScheduler":
            built[spec["id"]] = cls(**kwargs)
        else:
            built[spec["id"]] = cls(optimizer, **kwargs)
        last = spec["id"]
    optimizer.step()  # no gradients: changes nothing, marks the optimizer as stepped
    return built[config.get("driver") or last]


def stepper_for(name, metrics):
    if name == "ReduceLROnPlateau":

        def step_plateau(scheduler, count, first):
            step = scheduler.step
            for i in range(first, first + count):
                step(metrics[i % 7])

        return step_plateau

    def step_plain(scheduler, count, first):
        step = scheduler.step
        for _ in range(count):
            step()

    return step_plain


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def measure(prepare, intervals, ops_per_interval, positions, warmup_runs, runs):
    """As bench/timing.ts: per position in a schedule's life the median interval over the
    schedules; a run's figure is their mean; the result is the median run."""
    per_op = []
    count = 0
    for r in range(warmup_runs + runs):
        inputs = prepare()
        times = intervals(inputs)
        count = len(times)
        total = sum(median(times[p::positions]) for p in range(positions))
        if r >= warmup_runs:
            per_op.append(total / (positions * ops_per_interval))
    per_op.sort()
    return {
        "median": per_op[len(per_op) // 2],
        "min": per_op[0],
        "max": per_op[-1],
        "opsPerInterval": ops_per_interval,
        "intervals": count,
        "runs": runs,
    }


CHUNK = 50


def time_drivers(drivers, stepper, count):
    """Wall clock, one interval per CHUNK steps (short: the intervals the OS interrupted are outliers)."""
    times = []
    for driver in drivers:
        for first in range(0, count, CHUNK):
            start = time.perf_counter_ns()
            stepper(driver, CHUNK, first)
            times.append(time.perf_counter_ns() - start)
    return times


def bench_class(torch, name, case, settings):
    steps = settings["steps_per_schedule"]
    schedules = settings["python_schedules_per_run"]
    warmup_runs, runs = settings["warmup_runs"], settings["runs"]
    stepper = stepper_for(name, settings["plateau_metrics"])
    config = case["config"]
    result = {
        "step": measure(
            lambda: [build(torch, config) for _ in range(schedules)],
            lambda drivers: time_drivers(drivers, stepper, steps),
            CHUNK,
            steps // CHUNK,
            warmup_runs,
            runs,
        )
    }
    if case["takes_epoch"]:
        epoch_config = case["epoch_config"]
        result["epoch"] = {}
        for at in settings["epochs"]:

            def step_at(scheduler, count, first, at=at):
                step = scheduler.step
                for _ in range(count):
                    step(at)

            result["epoch"][str(at)] = measure(
                lambda: [build(torch, epoch_config) for _ in range(schedules)],
                lambda drivers: time_drivers(drivers, step_at, steps),
                CHUNK,
                steps // CHUNK,
                warmup_runs,
                runs,
            )
    return result


def main():
    config_path, out_path = sys.argv[1], sys.argv[2]
    with open(config_path) as f:
        settings = json.load(f)
    out = {"python": platform.python_version(), "torch": None, "classes": {}}
    try:
        import torch
    except ImportError as error:
        out["skipped"] = f"torch is not installed for {sys.executable} ({error})"
        with open(out_path, "w") as f:
            json.dump(out, f)
        return
    out["torch"] = torch.__version__
    torch.set_num_threads(1)
    # step(epoch) warns on every call in PyTorch as here; both sides discard the warning.
    warnings.simplefilter("ignore")
    for name, case in settings["classes"].items():
        try:
            out["classes"][name] = bench_class(torch, name, case, settings)
        except Exception as error:  # a class PyTorch lacks (GradualWarmupScheduler) or cannot build
            out["classes"][name] = {"skipped": f"{type(error).__name__}: {error}"}
        print(f"  pytorch {name}: done", file=sys.stderr, flush=True)
    with open(out_path, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
