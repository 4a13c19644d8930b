"""Under torchrun: one DistributedDataParallel step of the recipe, each process holding its share of the
batch, equals one single-process step on the whole batch (loss and parameters): NT-Xent's negatives span
all processes and the gradients are the whole batch's. BatchNorm runs in eval mode here, so the split
does not change its statistics (SyncBatchNorm needs CUDA on torch 1.13). Driven by
src/core/export/recipe-torchrun.test.ts (recipe_ddp_check.py OPTIMIZER LR); prints {"loss_diff", "param_max_abs_diff", ...} on rank 0.
"""
import copy
import json
import os
import sys

import torch
import torch.distributed as dist

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simclr_tab.checkpoint import SimclrNet  # noqa: E402
from simclr_tab.optim import build_optimizer  # noqa: E402
from simclr_tab.step import train_step  # noqa: E402

CFG = {"encoder": "resnet-small", "widthMultiplier": 0.0625, "stem": "auto", "imageSize": 8,
       "projectionHead": "v2", "projectionHidden": 16, "projectionDim": 8}
BATCH, TEMPERATURE = 8, 0.5


def step(net, views, rank, world, name, lr):
    named = list(net.named_parameters())
    optimizer = build_optimizer(name, named, 0.01)
    per_rank = BATCH // world
    v1, v2 = views[:BATCH], views[BATCH:]
    part = slice(rank * per_rank, (rank + 1) * per_rank)
    model = torch.nn.parallel.DistributedDataParallel(net) if world > 1 else net
    loss = train_step(model, optimizer, v1[part], v2[part], lr, TEMPERATURE)
    return loss.item(), {n: p.detach().clone() for n, p in named}


def main(name, lr):
    torch.manual_seed(0)
    torch.set_num_threads(1)
    net = SimclrNet(CFG).eval()  # eval: BatchNorm with running statistics (see the docstring)
    views = torch.randn(2 * BATCH, 3, 8, 8)
    # The reference first, before the process group exists: gather() is then the identity.
    ref_loss, ref_params = step(copy.deepcopy(net), views, 0, 1, name, lr)
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    loss, params = step(net, views, rank, world, name, lr)
    if rank == 0:
        diff = max((params[n] - ref_params[n]).abs().max().item() for n in params)
        print(json.dumps({"world": world, "loss": loss, "reference_loss": ref_loss, "loss_diff": abs(loss - ref_loss),
                          "param_max_abs_diff": diff, "torch": torch.__version__}), flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
