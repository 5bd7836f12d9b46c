#!/usr/bin/env python3
"""Optimizer Lens: the LR range test on the user's own PyTorch model.

Started by the extension as ``<interpreter> -u optlens_range_test.py`` with the workspace folder as cwd. It reads one
JSON job spec on stdin, streams JSON lines on stdout and nothing else. The protocol is docs/pytorch-runner-protocol.md
(version 1). Depends on the standard library and torch only (numpy is seeded when importable); Python >= 3.8.
"""

import collections.abc
import importlib
import inspect
import json
import math
import os
import platform
import random
import sys
import threading
import time
import traceback

PROTOCOL = 1
KINDS = ("spec", "torch-missing", "import", "user-code", "bad-loss", "data", "optimizer", "device", "internal")
BUILT_IN_LOSSES = ("cross_entropy", "mse")


class RunnerError(Exception):
    """A failure reported as one `error` line. `exc` is the user's exception, for its traceback and frame."""

    def __init__(self, kind, message, exc=None):
        Exception.__init__(self, message)
        self.kind = kind
        self.message = message
        self.exc = exc


# ---------------------------------------------------------------------------------------------------------------------
# Output: a private handle on the real stdout; user code writes to stderr.


class Protocol(object):
    """The protocol stream. Every message but a step line is flushed at once; step lines are flushed when 10 ms have
    passed since the last flush (so a fast loop does not pay a system call per step, and a slow one streams live)."""

    STEP_FLUSH_SECONDS = 0.01

    def __init__(self, stream):
        self._stream = stream
        self._lock = threading.Lock()
        self._last_flush = 0.0

    def send(self, message):
        self.write_line(json.dumps(message, allow_nan=False, separators=(",", ":")), flush=True)

    def write_line(self, line, flush=False):
        with self._lock:
            self._stream.write(line + "\n")
            now = time.monotonic()
            if flush or now - self._last_flush >= self.STEP_FLUSH_SECONDS:
                self._stream.flush()
                self._last_flush = now


def take_stdout():
    """Keep fd 1 for the protocol and point fd 1 and sys.stdout at stderr, so that user prints, C extensions and child
    processes cannot write into the protocol stream."""
    sys.stdout.flush()
    try:
        private_fd = os.dup(1)
        os.dup2(2, 1)
        stream = os.fdopen(private_fd, "w", encoding="utf-8", newline="\n")
    except OSError:
        stream = sys.stdout
    sys.stdout = sys.stderr
    return Protocol(stream)


# ---------------------------------------------------------------------------------------------------------------------
# The job spec


def read_spec(line):
    """Parse and check the spec line; returns a dict with every field filled in, or raises RunnerError('spec')."""
    if not line.strip():
        raise RunnerError("spec", "no job spec on stdin (expected one JSON line)")
    try:
        spec = json.loads(line)
    except ValueError as error:
        raise RunnerError("spec", "the job spec is not valid JSON: %s" % error)
    if not isinstance(spec, dict):
        raise RunnerError("spec", "the job spec must be a JSON object, got %s" % type(spec).__name__)
    if spec.get("protocol") != PROTOCOL:
        raise RunnerError("spec", "this runner speaks protocol %d, the spec asks for %r" % (PROTOCOL, spec.get("protocol")))

    def need_string(key, where=spec, label=None):
        value = where.get(key)
        if not isinstance(value, str) or not value.strip():
            raise RunnerError("spec", "`%s` must be a non-empty string, got %s" % (label or key, json.dumps(value)))
        return value.strip()

    workspace = need_string("workspace")
    if not os.path.isdir(workspace):
        raise RunnerError("spec", "the workspace folder %s does not exist" % workspace)
    mode = spec.get("mode", "entrypoints")
    if mode not in ("entrypoints", "lightning"):
        raise RunnerError("spec", "`mode` must be \"entrypoints\" or \"lightning\", got %s" % json.dumps(mode))
    if mode == "entrypoints":
        need_string("model")
        need_string("data")
        if spec.get("params") is not None:
            need_string("params")
        loss = spec.get("loss")
        if loss is not None and (not isinstance(loss, str) or not loss.strip()):
            raise RunnerError("spec", "`loss` must be \"cross_entropy\", \"mse\", \"module:callable\" or null, got %s" % json.dumps(loss))
    else:
        lightning = spec.get("lightning")
        if not isinstance(lightning, dict) or not isinstance(lightning.get("model"), dict):
            raise RunnerError("spec", "lightning mode needs `lightning.model` = {\"class_path\": ..., \"init_args\": {...}}")
        for part in ("model", "data"):
            section = lightning.get(part)
            if section is None and part == "data":
                continue
            if not isinstance(section, dict):
                raise RunnerError("spec", "`lightning.%s` must be an object with `class_path`" % part)
            need_string("class_path", section, "lightning.%s.class_path" % part)
            if not isinstance(section.get("init_args", {}) or {}, dict):
                raise RunnerError("spec", "`lightning.%s.init_args` must be an object" % part)
    optimizer = spec.get("optimizer")
    if optimizer is None:
        if mode == "entrypoints":
            raise RunnerError("spec", "`optimizer` is required in entrypoints mode")
    else:
        if not isinstance(optimizer, dict):
            raise RunnerError("spec", "`optimizer` must be {\"class_path\": ..., \"kwargs\": {...}} or null")
        need_string("class_path", optimizer, "optimizer.class_path")
        if not isinstance(optimizer.get("kwargs", {}) or {}, dict):
            raise RunnerError("spec", "`optimizer.kwargs` must be an object")
    device = spec.get("device", "auto")
    if not isinstance(device, str) or not device.strip():
        raise RunnerError("spec", "`device` must be \"auto\" or a torch device string, got %s" % json.dumps(device))
    lrs = spec.get("lrs")
    if not isinstance(lrs, list) or not lrs:
        raise RunnerError("spec", "`lrs` must be a non-empty list of learning rates")
    for index, lr in enumerate(lrs):
        if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr < 0:
            raise RunnerError("spec", "`lrs[%d]` must be a finite number >= 0, got %s" % (index, json.dumps(lr)))
    seed = spec.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise RunnerError("spec", "`seed` must be an integer, got %s" % json.dumps(seed))
    result = dict(spec)
    result.update(workspace=os.path.abspath(workspace), mode=mode, device=device.strip(), seed=seed,
                  lrs=[float(lr) for lr in lrs])
    return result


# ---------------------------------------------------------------------------------------------------------------------
# Device choice: a pure function of the request and the torch module (a fake one in the tests).


def choose_device(requested, torch_module):
    """Returns (device string, device name or None for the cpu), or raises RunnerError('device')."""
    cuda = getattr(torch_module, "cuda", None)
    backends = getattr(torch_module, "backends", None)
    mps = getattr(backends, "mps", None) if backends is not None else None

    def cuda_available():
        return cuda is not None and bool(cuda.is_available())

    def mps_available():
        return mps is not None and hasattr(mps, "is_available") and bool(mps.is_available())

    request = (requested or "auto").strip()
    if request == "auto":
        if cuda_available():
            return "cuda:0", str(cuda.get_device_name(0))
        if mps_available():
            return "mps", "Apple MPS"
        return "cpu", None
    kind, _, index_text = request.partition(":")
    if index_text and not index_text.isdigit():
        raise RunnerError("device", "%r is not a torch device: the index after ':' must be a number" % request)
    index = int(index_text) if index_text else None
    if kind == "cpu":
        return "cpu", None
    if kind == "cuda":
        if not cuda_available():
            built = getattr(getattr(torch_module, "version", None), "cuda", None)
            if built is None:
                why = "this torch was built without CUDA"
            else:
                why = "torch.cuda.is_available() is False (a CUDA %s build; no usable GPU or driver)" % built
                try:
                    if hasattr(cuda, "init"):
                        cuda.init()  # says why, e.g. "Found no NVIDIA driver on your system"
                except Exception as exc:
                    why += ": %s" % str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise RunnerError("device", "%s was requested but %s" % (request, why))
        count = int(cuda.device_count())
        if index is None:
            index = int(cuda.current_device()) if hasattr(cuda, "current_device") else 0
        if index >= count:
            raise RunnerError("device", "%s was requested but torch sees %d CUDA device%s (cuda:0..cuda:%d)" % (request, count, "" if count == 1 else "s", count - 1))
        return "cuda:%d" % index, str(cuda.get_device_name(index))
    if kind == "mps":
        if not mps_available():
            if mps is None or not hasattr(mps, "is_available"):
                why = "this torch has no MPS backend"
            elif hasattr(mps, "is_built") and not mps.is_built():
                why = "this torch was built without MPS"
            else:
                why = "torch.backends.mps.is_available() is False (needs macOS 12.3+ on Apple silicon)"
            raise RunnerError("device", "%s was requested but %s" % (request, why))
        return request, "Apple MPS"
    backend = getattr(torch_module, kind, None)
    if backend is not None and hasattr(backend, "is_available"):
        if not backend.is_available():
            raise RunnerError("device", "%s was requested but torch.%s.is_available() is False" % (request, kind))
        name = request
        if hasattr(backend, "get_device_name"):
            try:
                name = str(backend.get_device_name(index or 0))
            except Exception:  # a name is only decoration
                pass
        return request, name
    raise RunnerError("device", "%r is not a device this torch knows (try \"auto\", \"cpu\", \"cuda\", \"cuda:1\" or \"mps\")" % request)


def cpu_name():
    try:
        with open("/proc/cpuinfo", "r") as cpuinfo:
            for line in cpuinfo:
                if line.lower().startswith("model name"):
                    name = line.split(":", 1)[1].strip()
                    if name:
                        return name
    except (OSError, UnicodeDecodeError):
        pass
    return platform.processor() or "cpu"


# ---------------------------------------------------------------------------------------------------------------------
# Tracebacks: where in the user's code it failed.


def inside(path, folder):
    try:
        path = os.path.realpath(path)
        folder = os.path.realpath(folder)
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # different drives on Windows
        return False


def user_frame(exc, workspace):
    """(file, line) of the innermost frame inside the workspace (not this runner), or (None, None)."""
    own = os.path.realpath(__file__)
    if isinstance(exc, SyntaxError) and exc.filename and inside(exc.filename, workspace):
        return os.path.realpath(exc.filename), exc.lineno
    found = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and not frame.filename.startswith("<") and inside(frame.filename, workspace) \
                and os.path.realpath(frame.filename) != own:
            found = (os.path.realpath(frame.filename), frame.lineno)
    return found


def describe_exception(exc):
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    return "%s: %s" % (type(exc).__name__, first) if first else type(exc).__name__


def error_message(error, workspace):
    message = {"type": "error", "kind": error.kind if error.kind in KINDS else "internal", "message": error.message}
    exc = error.exc
    summary = error.message
    if exc is not None:
        file, line = user_frame(exc, workspace)
        summary = describe_exception(exc)
        if file:
            message["file"] = file
            message["line"] = line
            relative = os.path.relpath(file, workspace).replace(os.sep, "/")
            summary = "%s (%s:%d)" % (summary, relative, line)
        message["traceback"] = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    summary = summary.splitlines()[0] if summary else error.kind
    message["summary"] = summary if len(summary) <= 300 else summary[:297] + "..."
    return message


def call_user(what, function, *args, **kwargs):
    """Run user code; anything it raises (SystemExit included) becomes a `user-code` error saying what was running."""
    try:
        return function(*args, **kwargs)
    except RunnerError:
        raise
    except (Exception, SystemExit) as exc:
        raise RunnerError("user-code", "%s while %s" % (describe_exception(exc), what), exc)


# ---------------------------------------------------------------------------------------------------------------------
# Importing the user's code


def import_module(name, purpose):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        missing = exc.name or name
        if name == missing or name.startswith(missing + "."):
            raise RunnerError("import", "module '%s' not found (%s; searched the workspace folder first, then %s's sys.path)"
                              % (missing, purpose, sys.executable), exc)
        raise RunnerError("import", "module '%s' (%s) imports '%s', which is not installed for %s"
                          % (name, purpose, missing, sys.executable), exc)
    except (Exception, SystemExit) as exc:
        raise RunnerError("user-code", "%s while importing module '%s' (%s)" % (describe_exception(exc), name, purpose), exc)


def resolve(reference, purpose):
    """`module:attr.attr` (or `module.attr`) to the object it names; RunnerError('import') naming exactly what is missing."""
    reference = reference.strip()
    if ":" in reference:
        module_name, _, attribute_path = reference.partition(":")
    else:
        module_name, _, attribute_path = reference.rpartition(".")
    if not module_name or not attribute_path:
        raise RunnerError("spec", "%r is not an entry point `module:callable` (%s)" % (reference, purpose))
    target = import_module(module_name, purpose)
    walked = module_name
    for part in attribute_path.split("."):
        if not hasattr(target, part):
            raise RunnerError("import", "%s '%s' has no attribute '%s' (%s)"
                              % ("module" if walked == module_name else "object", walked, part, purpose))
        target = getattr(target, part)
        walked += (":" if walked == module_name else ".") + part
    return target


def instantiate(config, purpose):
    """A jsonargparse-style {"class_path", "init_args"} to an instance; nested ones become instances too."""
    if isinstance(config, dict) and isinstance(config.get("class_path"), str):
        cls = resolve(config["class_path"], purpose)
        init_args = config.get("init_args") or {}
        kwargs = dict((key, instantiate(value, "%s, init_args.%s" % (purpose, key))) for key, value in init_args.items())
        return call_user("instantiating %s(%s)" % (config["class_path"], ", ".join(sorted(kwargs))), cls, **kwargs)
    if isinstance(config, dict):
        return dict((key, instantiate(value, purpose)) for key, value in config.items())
    if isinstance(config, list):
        return [instantiate(value, purpose) for value in config]
    return config


# ---------------------------------------------------------------------------------------------------------------------
# The pieces of one step


def move_to(batch, device, torch):
    if torch.is_tensor(batch):
        return batch.to(device)
    if isinstance(batch, collections.abc.Mapping):
        return type(batch)((key, move_to(value, device, torch)) for key, value in batch.items()) \
            if isinstance(batch, dict) else dict((key, move_to(value, device, torch)) for key, value in batch.items())
    if isinstance(batch, tuple) and hasattr(batch, "_fields"):
        return type(batch)(*[move_to(value, device, torch) for value in batch])
    if isinstance(batch, (list, tuple)):
        return type(batch)(move_to(value, device, torch) for value in batch)
    return batch


def describe_value(value, torch):
    if torch.is_tensor(value):
        return "a tensor of shape %s" % list(value.shape)
    if isinstance(value, collections.abc.Mapping):
        return "a %s with keys %s" % (type(value).__name__, sorted(str(key) for key in value.keys())[:10])
    if isinstance(value, (list, tuple)):
        return "a %s of %d item%s" % (type(value).__name__, len(value), "" if len(value) == 1 else "s")
    return "a value of type %s" % type(value).__name__


def loss_from_output(output, torch, source):
    """The loss in a model's (or training_step's) output: a scalar tensor, `.loss` or a mapping with "loss"."""
    loss = output
    if not torch.is_tensor(output):
        if isinstance(output, collections.abc.Mapping) and "loss" in output:
            loss = output["loss"]
        elif getattr(output, "loss", None) is not None:
            loss = output.loss
        else:
            raise RunnerError("bad-loss", "no loss found in %s: it returned %s; return a scalar tensor, an object with "
                              "`.loss` or a dict with \"loss\" (or set a loss function)" % (source, describe_value(output, torch)))
    return check_loss(loss, torch, source)


def check_loss(loss, torch, source):
    if not torch.is_tensor(loss):
        raise RunnerError("bad-loss", "the loss from %s is %s, not a tensor" % (source, describe_value(loss, torch)))
    if loss.numel() != 1 or loss.dim() > 1:
        raise RunnerError("bad-loss", "the loss from %s has shape %s: a scalar is needed (reduce it, e.g. with .mean())"
                          % (source, list(loss.shape)))
    if not loss.requires_grad:
        raise RunnerError("bad-loss", "the loss from %s does not require grad (was it computed under torch.no_grad() or "
                          "detached?)" % source)
    return loss if loss.dim() == 0 else loss.reshape(())


def built_in_loss(name, torch):
    functional = torch.nn.functional
    return functional.cross_entropy if name == "cross_entropy" else functional.mse_loss


def find_optimizer(returned, torch):
    """configure_optimizers()'s optimizer: an optimizer, a list/tuple whose first item holds one, a dict with "optimizer"."""
    seen = returned
    for _ in range(8):
        if isinstance(seen, torch.optim.Optimizer):
            return seen
        if isinstance(seen, collections.abc.Mapping) and "optimizer" in seen:
            seen = seen["optimizer"]
        elif isinstance(seen, (list, tuple)) and seen:
            seen = seen[0]
        else:
            break
    raise RunnerError("optimizer", "configure_optimizers() returned %s, where an optimizer was expected (an optimizer, "
                      "a list whose first item is one, or a dict with \"optimizer\"); set an optimizer in the config "
                      "instead" % describe_value(returned, torch))


def build_optimizer(config, params, first_lr, torch):
    class_path = config["class_path"].strip()
    kwargs = dict(config.get("kwargs") or {})
    if "." not in class_path and ":" not in class_path:
        class_path = "torch.optim." + class_path
    if class_path.startswith("torch.optim.") and ":" not in class_path:
        name = class_path[len("torch.optim."):]
        cls = getattr(torch.optim, name, None)
        if cls is None:
            raise RunnerError("optimizer", "torch %s has no optimizer torch.optim.%s" % (torch.__version__, name))
    else:
        cls = resolve(class_path, "the optimizer class")
    if "lr" not in kwargs:
        kwargs["lr"] = first_lr  # the ramp sets it every step; some optimizers (SGD in torch < 2.2) require one
    try:
        return cls(params, **kwargs)
    except (Exception, SystemExit) as exc:
        raise RunnerError("optimizer", "%s(%s) failed: %s" % (class_path, ", ".join("%s=%r" % item for item in sorted(kwargs.items())),
                                                            describe_exception(exc)), exc)


def positional_arity(function):
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return 2
    if any(p.kind == p.VAR_POSITIONAL for p in parameters):
        return 2
    return sum(1 for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


def is_lightning_module(obj):
    return any(cls.__name__ == "LightningModule" for cls in type(obj).__mro__)


# ---------------------------------------------------------------------------------------------------------------------
# The job


class Batches(object):
    """Endless batches: a new pass over the data when one ends; a `data` error when a pass yields nothing.

    `loader` is an iterable (a DataLoader, a list, ...) or a generator function, called again for each pass."""

    def __init__(self, loader, torch):
        self.loader = loader
        self.factory = inspect.isgeneratorfunction(loader)
        self.torch = torch
        self.iterator = None
        self.index_in_epoch = 0

    def _iterate(self):
        source = self.loader() if self.factory else self.loader
        try:
            return iter(source)
        except TypeError as exc:
            raise RunnerError("data", "the data is %s, which is not iterable: return a DataLoader, a list of batches or "
                              "a generator" % describe_value(source, self.torch), exc)

    def _start_pass(self):
        if self.iterator is not None and not self.factory and isinstance(self.loader, collections.abc.Iterator):
            raise RunnerError("data", "the data ran out after %d batches and cannot be iterated again (a generator "
                              "object?): return a DataLoader or a list, or use a generator function"
                              % self.index_in_epoch)
        self.iterator = None  # lets a DataLoader's worker processes shut down before new ones start
        self.iterator = call_user("starting a pass over the data", self._iterate)
        self.index_in_epoch = 0

    def next(self):
        """(batch, index of the batch in the current pass)."""
        if self.iterator is None:
            self._start_pass()
        for _ in range(2):
            try:
                batch = next(self.iterator)
            except StopIteration:
                if self.index_in_epoch == 0:
                    raise RunnerError("data", "the data yielded no batches")
                self._start_pass()
                continue
            except (Exception, SystemExit) as exc:
                raise RunnerError("user-code", "%s while loading a batch" % describe_exception(exc), exc)
            index = self.index_in_epoch
            self.index_in_epoch += 1
            return batch, index
        raise RunnerError("data", "the data yielded no batches")

    def close(self):
        self.iterator = None


class Job(object):
    def __init__(self, spec, torch, device, out, stop_event):
        self.spec = spec
        self.torch = torch
        self.device = device
        self.out = out
        self.stop_event = stop_event

    def seed(self):
        seed = self.spec["seed"]
        random.seed(seed)
        try:
            import numpy
        except Exception:
            numpy = None
        if numpy is not None:
            numpy.random.seed(seed % (2 ** 32))
        self.torch.manual_seed(seed)

    def prepare_model(self, model, source):
        if not isinstance(model, self.torch.nn.Module):
            raise RunnerError("user-code", "%s returned %s, not a torch.nn.Module" % (source, describe_value(model, self.torch)))
        try:
            model.to(self.device)
        except Exception as exc:
            raise RunnerError("device", "moving the model to %s failed: %s" % (self.device, describe_exception(exc)), exc)
        model.train()
        return model

    def setup_entrypoints(self):
        spec = self.spec
        build_model = resolve(spec["model"], "the model")
        model = self.prepare_model(call_user("building the model (%s)" % spec["model"], build_model), spec["model"])
        data = resolve(spec["data"], "the data")
        if inspect.isgeneratorfunction(data) or not callable(data) or hasattr(data, "__iter__"):
            loader = data  # an iterable, or a generator function called again for each pass
        else:
            loader = call_user("building the data (%s)" % spec["data"], data)
        params = model.parameters()
        if spec.get("params"):
            params_fn = resolve(spec["params"], "the parameter groups")
            params = call_user("building the parameter groups (%s)" % spec["params"], params_fn, model)
        optimizer = build_optimizer(spec["optimizer"], params, spec["lrs"][0], self.torch)
        loss_name = spec.get("loss")
        loss_fn = None
        if loss_name:
            loss_fn = built_in_loss(loss_name, self.torch) if loss_name in BUILT_IN_LOSSES else resolve(loss_name, "the loss")
        torch = self.torch

        def forward(batch, batch_index):
            if loss_fn is not None:
                if not isinstance(batch, (list, tuple)) or len(batch) != 2:
                    raise RunnerError("data", "with a loss function each batch must be (inputs, targets); got %s (use "
                                      "no loss when the model returns its own)" % describe_value(batch, torch))
                outputs = call_user("running the model's forward", model, batch[0])
                loss = call_user("computing the loss (%s)" % loss_name, loss_fn, outputs, batch[1])
                return check_loss(loss, torch, "the loss function %s" % loss_name)
            if isinstance(batch, collections.abc.Mapping):
                output = call_user("running the model's forward", model, **batch)
            elif isinstance(batch, (list, tuple)):
                output = call_user("running the model's forward", model, *batch)
            elif torch.is_tensor(batch):
                output = call_user("running the model's forward", model, batch)
            else:
                raise RunnerError("data", "a batch is %s: batches must be tensors, (inputs, targets) tuples, lists or "
                                  "dicts" % describe_value(batch, torch))
            return loss_from_output(output, torch, "the model's forward")

        return model, Batches(loader, torch), optimizer, forward

    def setup_lightning(self):
        spec = self.spec
        config = spec["lightning"]
        module = instantiate(config["model"], "the Lightning module")
        module = self.prepare_model(module, config["model"]["class_path"])
        datamodule = instantiate(config["data"], "the Lightning data module") if config.get("data") else None
        if is_lightning_module(module):
            if hasattr(module, "setup"):
                call_user("calling the module's setup(\"fit\")", module.setup, "fit")
            if hasattr(module, "configure_model"):
                call_user("calling the module's configure_model()", module.configure_model)
                module.to(self.device)
        source = datamodule if datamodule is not None else module
        if datamodule is not None:
            if hasattr(datamodule, "prepare_data"):
                call_user("calling the data module's prepare_data()", datamodule.prepare_data)
            if hasattr(datamodule, "setup"):
                call_user("calling the data module's setup(stage=\"fit\")", datamodule.setup, stage="fit")
        if not hasattr(source, "train_dataloader"):
            raise RunnerError("data", "%s has no train_dataloader()" % ("the data module" if datamodule is not None else
                                                                        "the module (and no data module was given)"))
        loader = call_user("calling train_dataloader()", source.train_dataloader)
        if spec.get("optimizer"):
            optimizer = build_optimizer(spec["optimizer"], module.parameters(), spec["lrs"][0], self.torch)
        else:
            if not hasattr(module, "configure_optimizers"):
                raise RunnerError("optimizer", "no optimizer in the config and the module has no configure_optimizers()")
            optimizer = find_optimizer(call_user("calling configure_optimizers()", module.configure_optimizers), self.torch)
        if not hasattr(module, "training_step"):
            raise RunnerError("user-code", "the module %s has no training_step(batch, batch_idx)" % type(module).__name__)
        arity = positional_arity(module.training_step)
        torch = self.torch

        def forward(batch, batch_index):
            args = (batch, batch_index) if arity >= 2 else (batch,)
            output = call_user("running training_step", module.training_step, *args)
            if output is None:
                raise RunnerError("bad-loss", "training_step returned None (a skipped step or manual optimization); "
                                  "the range test needs the loss")
            return loss_from_output(output, torch, "training_step")

        return module, Batches(loader, torch), optimizer, forward

    def run(self):
        torch = self.torch
        started = time.time()
        self.seed()
        if self.spec["mode"] == "lightning":
            model, batches, optimizer, forward = self.setup_lightning()
        else:
            model, batches, optimizer, forward = self.setup_entrypoints()
        initial = []
        for group in optimizer.param_groups:
            lr = group.get("lr")
            initial.append(float(lr) if lr is not None else 0.0)
        first = initial[0] if initial else 0.0
        try:
            zero_grad_kwargs = {"set_to_none": True} if "set_to_none" in inspect.signature(optimizer.zero_grad).parameters else {}
        except (TypeError, ValueError):
            zero_grad_kwargs = {}
        lrs = self.spec["lrs"]
        # Per-step work is kept to what a plain loop does, plus one protocol line: the group factors and lr kinds are
        # found once, the step line is written without json for finite losses (repr of a float is valid JSON), and
        # the user-code error wrapping costs nothing unless something raises.
        groups = [(group, group_initial / first if first > 0 and group_initial > 0 else 1.0, torch.is_tensor(group.get("lr")))
                  for group, group_initial in zip(optimizer.param_groups, initial)]
        send = self.out.send
        write_line = self.out.write_line
        loop_started = time.time()
        steps = 0
        reason = "completed"
        for index, lr in enumerate(lrs):
            if self.stop_event.is_set():
                reason = "stopped"
                break
            for group, factor, tensor_lr in groups:
                if tensor_lr:
                    group["lr"].fill_(lr * factor)
                else:
                    group["lr"] = lr * factor
            batch, batch_index = batches.next()
            batch = move_to(batch, self.device, torch)
            loss = forward(batch, batch_index)
            value = loss.item()
            if math.isfinite(value):
                write_line('{"type":"step","index":%d,"lr":%r,"loss":%r}' % (index, float(lr), float(value)))
            else:
                send({"type": "step", "index": index, "lr": lr, "loss": None,
                      "nonfinite": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")})
            steps += 1
            phase = "running backward() at step %d"
            try:
                loss.backward()
                phase = "running optimizer.step() at step %d"
                optimizer.step()
            except RunnerError:
                raise
            except (Exception, SystemExit) as exc:
                raise RunnerError("user-code", "%s while %s" % (describe_exception(exc), phase % index), exc)
            optimizer.zero_grad(**zero_grad_kwargs)
        batches.close()
        now = time.time()
        self.out.send({"type": "end", "reason": reason, "steps": steps, "seconds": round(now - loop_started, 6),
                       "setup_seconds": round(loop_started - started, 6)})


# ---------------------------------------------------------------------------------------------------------------------
# Control: stop lines and EOF on stdin


def watch_stdin(stream, stop_event):
    """Daemon thread: {"type":"stop"} sets the event; EOF (the parent is gone) ends the process at once."""
    while True:
        try:
            line = stream.readline()
        except Exception:
            line = b""
        if not line:
            os._exit(2)
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict) and message.get("type") == "stop":
            stop_event.set()


def import_torch():
    try:
        import torch
        return torch
    except Exception as exc:
        raise RunnerError("torch-missing", "PyTorch cannot be imported by %s (%s). Install it into this environment "
                          "(e.g. `\"%s\" -m pip install torch`) or choose another Python interpreter (the "
                          "optimizerLens.python.interpreter setting, or the Python extension's environment)."
                          % (sys.executable, describe_exception(exc), sys.executable), exc)


def main():
    sys.dont_write_bytecode = True  # never write __pycache__ into the user's workspace
    out = take_stdout()
    stdin = sys.stdin.buffer
    sys.stdin = open(os.devnull, "r")
    script_dir = os.path.dirname(os.path.realpath(__file__))
    sys.path[:] = [entry for entry in sys.path if os.path.realpath(entry or ".") != script_dir]
    workspace = os.getcwd()
    try:
        spec = read_spec(stdin.readline().decode("utf-8", "replace"))
        workspace = spec["workspace"]
        if os.path.realpath(os.getcwd()) != os.path.realpath(workspace):
            os.chdir(workspace)
        sys.path.insert(0, workspace)
        stop_event = threading.Event()
        watcher = threading.Thread(target=watch_stdin, args=(stdin, stop_event), name="optlens-stdin")
        watcher.daemon = True
        watcher.start()
        torch = import_torch()
        try:
            device, device_name = choose_device(spec["device"], torch)
        except RunnerError:
            raise
        except Exception as exc:  # a broken driver can raise from torch.cuda itself
            raise RunnerError("device", "choosing the device %r failed: %s" % (spec["device"], describe_exception(exc)), exc)
        out.send({"type": "hello", "protocol": PROTOCOL, "python": platform.python_version(),
                  "torch": str(torch.__version__), "executable": sys.executable, "device": device,
                  "device_name": device_name or cpu_name(), "pid": os.getpid()})
        Job(spec, torch, device, out, stop_event).run()
    except RunnerError as error:
        out.send(error_message(error, workspace))
        sys.stderr.flush()
        os._exit(1)
    except BaseException as exc:  # a bug here, or KeyboardInterrupt
        out.send(error_message(RunnerError("internal", "the runner failed: %s" % describe_exception(exc), exc), workspace))
        sys.stderr.flush()
        os._exit(1)
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
