"""The app's optimizers and schedule (src/core/optim): AdamW and SGD as torch.optim has them, LARS as
google-research/simclr's lars_optimizer.py (src/core/optim/reference/optimizer_reference.py). Weight decay
applies to conv and linear weights only (p.dim() > 1), never to biases or BatchNorm parameters."""
import math

import torch

# Per-parameter state each optimizer keeps, as named in optimizer.safetensors ("<param>.<slot>").
SLOTS = {"adam": ("exp_avg", "exp_avg_sq"), "sgd": ("momentum_buffer",), "lars": ("momentum_buffer",)}


class Lars(torch.optim.Optimizer):
    """g += wd * w; r = eta * |w| / |g| (1 if either norm is 0); v = m * v + lr * r * g; w -= v.
    Decay and trust ratio only where the group's weight_decay flag `adapt` is set."""

    def __init__(self, groups, lr, momentum=0.9, eeta=0.001):
        super().__init__(groups, {"lr": lr, "momentum": momentum, "eeta": eeta, "weight_decay": 0.0, "adapt": False})

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                rate = torch.tensor(group["lr"], dtype=p.dtype, device=p.device)
                if group["adapt"]:
                    g = g + group["weight_decay"] * p
                    w_norm, g_norm = torch.linalg.norm(p), torch.linalg.norm(g)
                    one = torch.ones_like(w_norm)
                    trust = torch.where(w_norm > 0, torch.where(g_norm > 0, group["eeta"] * w_norm / g_norm, one), one)
                    rate = rate * trust
                state = self.state[p]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = torch.zeros_like(p)
                v = state["momentum_buffer"]
                v.mul_(group["momentum"]).add_(rate * g)
                p.sub_(v)


def build_optimizer(name, named_params, weight_decay):
    decayed = [p for n, p in named_params if p.dim() > 1]
    excluded = [p for n, p in named_params if p.dim() <= 1]
    if name == "adam":
        groups = [{"params": decayed, "weight_decay": weight_decay}, {"params": excluded, "weight_decay": 0.0}]
        return torch.optim.AdamW(groups, lr=0.0, betas=(0.9, 0.999), eps=1e-8)
    if name == "sgd":
        groups = [{"params": decayed, "weight_decay": weight_decay}, {"params": excluded, "weight_decay": 0.0}]
        return torch.optim.SGD(groups, lr=0.0, momentum=0.9)
    if name == "lars":
        groups = [{"params": decayed, "weight_decay": weight_decay, "adapt": True}, {"params": excluded}]
        return Lars(groups, lr=0.0)
    raise SystemExit(f"config.json: optimizer {name!r} is not one of adam, sgd, lars.")


def set_learning_rate(optimizer, lr):
    for group in optimizer.param_groups:
        group["lr"] = lr


def peak_learning_rate(cfg):
    scaling = cfg.get("learningRateScaling", "none")
    if scaling == "linear":
        return cfg["learningRate"] * cfg["batchSize"] / 256
    if scaling == "sqrt":
        return cfg["learningRate"] * math.sqrt(cfg["batchSize"])
    return cfg["learningRate"]


def total_steps(cfg, image_count):
    duration = cfg["duration"]
    if duration["unit"] == "steps":
        return max(0, int(duration["value"]))
    return max(0, (image_count // cfg["batchSize"]) * int(duration["value"]))


def learning_rate(step, total, peak, warmup):
    """src/core/optim/schedule.ts: linear warm-up to `peak`, then cosine decay to 0 at `total`."""
    if total <= 0:
        return peak
    if warmup > 0 and step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, max(0.0, (step - warmup) / max(1, total - warmup)))
    return 0.5 * peak * (1 + math.cos(math.pi * progress))


def optimizer_tensors(name, optimizer, named_params):
    """{"<param>.<slot>": tensor} for every trainable parameter (zeros where no step has made the slot yet)."""
    out = {}
    for param_name, p in named_params:
        state = optimizer.state.get(p, {})
        for slot in SLOTS[name]:
            out[f"{param_name}.{slot}"] = state.get(slot, torch.zeros_like(p)).detach().float().cpu()
    return out


def load_optimizer_tensors(name, optimizer, named_params, tensors, step):
    """Puts slots saved by optimizer_tensors (or by the app) back, with Adam's step count; a fresh start
    (step 0) keeps torch's empty state. Raises with the missing or misshapen names."""
    if step == 0:
        return
    problems = []
    for param_name, p in named_params:
        for slot in SLOTS[name]:
            key = f"{param_name}.{slot}"
            if key not in tensors:
                problems.append(f"{key} is missing")
            elif tuple(tensors[key].shape) != tuple(p.shape):
                problems.append(f"{key} is {list(tensors[key].shape)}, the parameter {list(p.shape)}")
    if problems:
        raise SystemExit("optimizer.safetensors does not fit the model: " + "; ".join(problems[:5]))
    for param_name, p in named_params:
        state = optimizer.state[p]
        for slot in SLOTS[name]:
            state[slot] = tensors[f"{param_name}.{slot}"].to(p.device, p.dtype).clone()
        if name == "adam":
            # A tensor step suits torch 1.13 and 2.x alike (both keep it as a tensor).
            state["step"] = torch.tensor(float(step))
