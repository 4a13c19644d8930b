#!/usr/bin/env python3
"""Reference values for NT-Xent (SimCLR eq. 1), for src/core/loss/nt-xent.test.ts.

An independent PyTorch implementation written the way lightly's NTXentLoss computes it
(single device, no memory bank): normalize both views, take the 2N x 2N cosine-similarity
logits divided by the temperature, drop each row's self-similarity, and apply cross entropy
with row i's positive at i + N (and i + N's at i), averaged over all 2N anchors.

Everything is float64 with seeded inputs, so the output is reproducible.

    apt-get install -y python3-torch
    /usr/bin/python3 src/core/loss/reference/nt_xent_reference.py
"""

import json
import math
from pathlib import Path

import torch
import torch.nn.functional as F

REPO = Path(__file__).resolve().parents[4]
OUT = REPO / "src" / "core" / "loss" / "nt-xent.reference.json"
SIGNIFICANT_DIGITS = 10


def nt_xent(z1: torch.Tensor, z2: torch.Tensor, temperature: float) -> torch.Tensor:
    """lightly.loss.NTXentLoss, world_size 1, memory_bank_size 0."""
    n = z1.shape[0]
    device = z1.device
    out0 = F.normalize(z1, dim=1)
    out1 = F.normalize(z2, dim=1)

    # Similarities within each view and across views, as lightly builds them.
    logits_00 = torch.einsum("nc,mc->nm", out0, out0) / temperature
    logits_01 = torch.einsum("nc,mc->nm", out0, out1) / temperature
    logits_10 = torch.einsum("nc,mc->nm", out1, out0) / temperature
    logits_11 = torch.einsum("nc,mc->nm", out1, out1) / temperature

    # Remove the self-similarity (the diagonal of the within-view blocks).
    diag_mask = torch.eye(n, device=device, dtype=torch.bool)
    logits_00 = logits_00[~diag_mask].view(n, -1)
    logits_11 = logits_11[~diag_mask].view(n, -1)

    # Row i of [logits_01 | logits_00] has its positive at column i; same for the second view.
    logits_0100 = torch.cat([logits_01, logits_00], dim=1)
    logits_1011 = torch.cat([logits_10, logits_11], dim=1)
    logits = torch.cat([logits_0100, logits_1011], dim=0)  # [2N, 2N - 1]
    labels = torch.arange(n, device=device, dtype=torch.long).repeat(2)
    return F.cross_entropy(logits, labels, reduction="mean")


def nt_xent_textbook(z1: torch.Tensor, z2: torch.Tensor, temperature: float) -> torch.Tensor:
    """A second, literal form of SimCLR eq. (1), used only to cross-check nt_xent."""
    n = z1.shape[0]
    z = F.normalize(torch.cat([z1, z2], dim=0), dim=1)
    sim = z @ z.T / temperature
    total = z.new_zeros(())
    for i in range(2 * n):
        j = (i + n) % (2 * n)
        others = torch.cat([sim[i, :i], sim[i, i + 1 :]])
        total = total + torch.logsumexp(others, dim=0) - sim[i, j]
    return total / (2 * n)


def rounded(x):
    if isinstance(x, list):
        return [rounded(v) for v in x]
    return float(f"{x:.{SIGNIFICANT_DIGITS}g}")


def make_case(name: str, z1: torch.Tensor, z2: torch.Tensor, temperature: float) -> dict:
    z1 = z1.clone().requires_grad_(True)
    z2 = z2.clone().requires_grad_(True)
    loss = nt_xent(z1, z2, temperature)
    grad_z1, grad_z2 = torch.autograd.grad(loss, [z1, z2])

    check = nt_xent_textbook(z1.detach(), z2.detach(), temperature)
    assert torch.allclose(loss.detach(), check, rtol=1e-12, atol=0), (name, loss.item(), check.item())

    n, dim = z1.shape
    return {
        "name": name,
        "n": n,
        "dim": dim,
        "temperature": temperature,
        "z1": rounded(z1.detach().tolist()),
        "z2": rounded(z2.detach().tolist()),
        "loss": rounded(loss.item()),
        "grad_z1": rounded(grad_z1.tolist()),
        "grad_z2": rounded(grad_z2.tolist()),
    }


def random_case(seed: int, n: int, dim: int, temperature: float) -> dict:
    g = torch.Generator().manual_seed(seed)
    z1 = torch.randn(n, dim, generator=g, dtype=torch.float64)
    # Second view correlated with the first, as real augmented pairs are, so the loss is not trivial.
    z2 = z1 + torch.randn(n, dim, generator=g, dtype=torch.float64)
    # Round the inputs first, so the recorded inputs are exactly the ones the loss saw.
    z1 = torch.tensor(rounded(z1.tolist()), dtype=torch.float64)
    z2 = torch.tensor(rounded(z2.tolist()), dtype=torch.float64)
    return make_case(f"random-n{n}-d{dim}-t{temperature}", z1, z2, temperature)


def all_equal_case(n: int, dim: int, temperature: float) -> dict:
    g = torch.Generator().manual_seed(7)
    row = torch.tensor(rounded(torch.randn(dim, generator=g, dtype=torch.float64).tolist()), dtype=torch.float64)
    z = row.repeat(n, 1)
    case = make_case("all-equal", z, z.clone(), temperature)
    # Every logit is 1 / t, so each anchor's softmax is uniform over its 2N - 1 others.
    expected = math.log(2 * n - 1)
    assert abs(case["loss"] - expected) < 1e-9, (case["loss"], expected)
    return case


def main() -> None:
    shapes = [(2, 3, 0.5), (4, 8, 0.5), (8, 16, 0.1), (16, 32, 0.2), (5, 4, 1.0), (32, 16, 0.05)]
    cases = [random_case(seed, n, dim, t) for seed, (n, dim, t) in enumerate(shapes)]
    cases.append(all_equal_case(6, 5, 0.5))
    doc = {"generator": "src/core/loss/reference/nt_xent_reference.py", "torch": torch.__version__, "cases": cases}
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    for case in cases:
        print(f"{case['name']:<24} loss={case['loss']}")
    print(f"wrote {OUT.relative_to(REPO)} ({OUT.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
