"""One SimCLR step, the app's trainStep (src/core/train/train-step.ts): both views through f and g in one
batch (BatchNorm sees all 2B views), NT-Xent, backward, optimizer update at the schedule's rate."""
import contextlib

import torch

from .ntxent import nt_xent
from .optim import set_learning_rate


def train_step(net, optimizer, view1, view2, lr, temperature, scaler=None):
    """view1, view2 [B, 3, s, s] normalized; returns the loss (a 0-d tensor, not synced to the host)."""
    set_learning_rate(optimizer, lr)
    amp = scaler is not None
    autocast = torch.autocast(device_type="cuda", dtype=torch.float16) if amp else contextlib.nullcontext()
    with autocast:
        z = net(torch.cat([view1, view2]))
    batch = view1.shape[0]
    loss = nt_xent(z[:batch], z[batch:], temperature)
    optimizer.zero_grad(set_to_none=True)
    if amp:
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    else:
        loss.backward()
        optimizer.step()
    return loss.detach()
