"""Continue a simclr-tab run on GPUs (or CPUs) with PyTorch DistributedDataParallel.

    torchrun --nproc_per_node=N train.py --data DIR        # DIR: the folder the app trained on
    python3 train.py --data DIR                            # one process

Same model, head, NT-Xent (negatives from every process), optimizer, schedule and augmentations as the
app, from the weights and optimizer step in weights/. Writes checkpoints/step-NNNNNN/ folders the app's
Import takes back. Runs on PyTorch 1.13 and 2.x; README.md says more.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]  # the download keeps simclr_tab/ beside train.py; the repo one level up

import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402

from simclr_tab.checkpoint import SimclrNet, load_weights, read_optimizer, save_checkpoint  # noqa: E402
from simclr_tab.data import TwoViews, list_images, view_transform  # noqa: E402
from simclr_tab.optim import (  # noqa: E402
    build_optimizer,
    learning_rate,
    load_optimizer_tensors,
    optimizer_tensors,
    peak_learning_rate,
    total_steps,
)
from simclr_tab.step import train_step  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="folder holding the images listed in files.txt")
    p.add_argument("--config", default=os.path.join(HERE, "config.json"))
    p.add_argument("--files", default=os.path.join(HERE, "files.txt"), help="image list, paths relative to --data")
    p.add_argument("--all-images", action="store_true", help="train on every image under --data instead of --files")
    p.add_argument("--weights", default=os.path.join(HERE, "weights"), help="folder with the start state (or a checkpoint)")
    p.add_argument("--out", default=os.path.join(HERE, "checkpoints"))
    p.add_argument("--save-every", type=int, default=500, help="steps between checkpoints (one is always written at the end)")
    p.add_argument("--max-steps", type=int, default=None, help="stop after this many steps in this session")
    p.add_argument("--sync-bn", action="store_true", help="BatchNorm statistics over the global batch (SyncBatchNorm)")
    p.add_argument("--amp", action="store_true", help="float16 mixed precision (CUDA only); the loss stays float32")
    p.add_argument("--workers", type=int, default=4, help="data loading processes per GPU")
    p.add_argument("--log-every", type=int, default=10)
    return p.parse_args(argv)


def setup():
    """(rank, world, device); initializes the process group under torchrun (nccl on CUDA, else gloo)."""
    if "RANK" not in os.environ:
        return 0, 1, torch.device("cuda" if torch.cuda.is_available() else "cpu")
    cuda = torch.cuda.is_available()
    local = int(os.environ.get("LOCAL_RANK", 0))
    if cuda:
        torch.cuda.set_device(local)
    dist.init_process_group("nccl" if cuda else "gloo")
    return dist.get_rank(), dist.get_world_size(), torch.device(f"cuda:{local}" if cuda else "cpu")


def batches(count, per_rank, rank, world, seed, step):
    """Index lists for this rank from global step `step` on: a seeded shuffle per epoch, each global batch
    split across ranks, the incomplete last batch dropped (as the app's epochs are)."""
    global_batch = per_rank * world
    per_epoch = count // global_batch
    epoch, offset = divmod(step, per_epoch)
    while True:
        order = torch.randperm(count, generator=torch.Generator().manual_seed(seed + epoch)).tolist()
        for b in range(offset, per_epoch):
            start = b * global_batch + rank * per_rank
            yield order[start : start + per_rank]
        epoch, offset = epoch + 1, 0


def main(argv=None):
    args = parse_args(argv)
    rank, world, device = setup()
    with open(args.config, encoding="utf-8") as f:
        run = json.load(f)
    cfg = run["train"]
    if cfg["batchSize"] % world:
        raise SystemExit(f"The batch ({cfg['batchSize']}) does not split over {world} processes: use a divisor of it.")
    if args.amp and device.type != "cuda":
        raise SystemExit("--amp needs CUDA GPUs; leave it out on the CPU.")
    if args.sync_bn and device.type != "cuda" and int(torch.__version__.split(".")[0]) < 2:
        raise SystemExit("--sync-bn on CPUs needs PyTorch 2.x (1.13's SyncBatchNorm is CUDA only): leave it out or use GPUs.")
    names = list_images(args.data, None if args.all_images else args.files)
    if args.all_images:
        files_txt = "".join(f"{n}\n" for n in names)
    else:
        with open(args.files, encoding="utf-8") as f:
            files_txt = f.read()
    if len(names) < cfg["batchSize"]:
        raise SystemExit(f"{len(names)} images for a batch of {cfg['batchSize']}: NT-Xent needs a full batch of distinct images.")

    net = SimclrNet(cfg)
    load_weights(net, args.weights)
    slots, meta = read_optimizer(args.weights)
    step = int(meta.get("step", run.get("step", 0)))
    named = [(n, p) for n, p in net.named_parameters()]
    optimizer = build_optimizer(cfg["optimizer"], named, cfg["weightDecay"])
    net.to(device)
    load_optimizer_tensors(cfg["optimizer"], optimizer, named, slots, step)
    model = net
    if world > 1:
        if args.sync_bn:
            model = torch.nn.SyncBatchNorm.convert_sync_batchnorm(model)
        model = torch.nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    scaler = None
    if args.amp:
        scaler = torch.amp.GradScaler("cuda") if hasattr(torch.amp, "GradScaler") else torch.cuda.amp.GradScaler()

    total = total_steps(cfg, len(names))
    peak, warmup = peak_learning_rate(cfg), int(total * cfg["warmupFraction"])
    end = total if args.max_steps is None else min(total, step + args.max_steps)
    if rank == 0 and args.all_images:
        run = {**run, "imageCount": len(names)}
    if rank == 0:
        print(f"{len(names)} images, {world} process(es) on {device.type}, steps {step} -> {end} of {total}", flush=True)
    if step >= end:
        raise SystemExit(f"Nothing to train: the run is at step {step} of {total}. Raise the duration in config.json.")
    dataset = TwoViews(args.data, names, run.get("storeSize", 64), view_transform(cfg))
    per_rank = cfg["batchSize"] // world
    sampler = batches(len(names), per_rank, rank, world, cfg["seed"], step)
    loader = torch.utils.data.DataLoader(dataset, batch_sampler=sampler, num_workers=args.workers, pin_memory=device.type == "cuda")
    started = time.time()
    last = None
    for view1, view2 in loader:
        if step >= end:
            break
        lr = learning_rate(step, total, peak, warmup)
        loss = train_step(model, optimizer, view1.to(device, non_blocking=True), view2.to(device, non_blocking=True), lr, cfg["temperature"], scaler)
        step += 1
        if rank == 0 and (step % args.log_every == 0 or step == end):
            last = loss.item()  # host sync, every log_every steps only
            print(json.dumps({"step": step, "loss": round(last, 6), "lr": lr, "seconds": round(time.time() - started, 1)}), flush=True)
        if rank == 0 and (step % args.save_every == 0 or step == end):
            folder = os.path.join(args.out, f"step-{step:06d}")
            save_checkpoint(folder, net, cfg, run, optimizer_tensors(cfg["optimizer"], optimizer, named), step, files_txt)
            print(f"checkpoint {folder}", flush=True)
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
