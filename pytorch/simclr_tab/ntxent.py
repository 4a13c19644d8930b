"""NT-Xent over the views of every process: z is gathered from all ranks with its gradient kept, so each
anchor's negatives are the whole global batch (SimCLR section 2: "we aggregate across all devices")."""
import torch
import torch.distributed as dist
import torch.nn.functional as F


class GatherLayer(torch.autograd.Function):
    """all_gather whose backward sums the gradient from every rank and returns this rank's slice.

    Written out rather than torch.distributed.nn.functional.all_gather: its backward uses reduce_scatter,
    which gloo (CPU) lacks on PyTorch 1.13."""

    @staticmethod
    def forward(ctx, x):
        out = [torch.zeros_like(x) for _ in range(dist.get_world_size())]
        dist.all_gather(out, x.contiguous())
        return tuple(out)

    @staticmethod
    def backward(ctx, *grads):
        stacked = torch.stack(grads)
        dist.all_reduce(stacked)
        return stacked[dist.get_rank()]


def gather(x):
    """[n, d] on each rank -> [world * n, d] in rank order (x itself when not distributed)."""
    if not (dist.is_available() and dist.is_initialized()) or dist.get_world_size() == 1:
        return x
    return torch.cat(GatherLayer.apply(x))


def nt_xent(z1, z2, temperature):
    """z1, z2 [N, d]: row i of each is a positive pair. Mean over all 2N anchors, as the app's loss.

    Every rank computes the loss of the whole global batch; with DDP averaging gradients over W ranks and
    GatherLayer summing them, each parameter gets exactly the gradient of the single-process loss."""
    z = F.normalize(torch.cat([gather(z1), gather(z2)]).float(), dim=1)
    n = z.shape[0] // 2
    logits = z @ z.t() / temperature
    logits = logits.masked_fill(torch.eye(2 * n, dtype=torch.bool, device=z.device), float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(z.device)
    return F.cross_entropy(logits, targets)
