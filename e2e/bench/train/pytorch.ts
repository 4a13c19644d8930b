/**
 * Runs the same SimCLR step in PyTorch (e2e/bench/pytorch/simclr_step.py) for the speed bench, when a
 * Python with torch is installed (Debian: python3-torch). Node side only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainCase } from './cases';

/** The script, found from this module upwards (this code also runs bundled, from dist/bench-node/). */
function scriptPath(): string {
  const relative = join('e2e', 'bench', 'pytorch', 'simclr_step.py');
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, relative))) return join(dir, relative);
    if (dirname(dir) === dir) return join(process.cwd(), relative);
  }
}

export interface PytorchResult {
  name: string;
  /** 'cuda' or 'cpu' */
  device: string;
  device_name: string;
  threads: number;
  warmup_s: number;
  step_ms: number;
  views_per_s: number;
  /** Views per CPU-second of the Python process (all threads). */
  views_per_cpu_s: number;
  last_loss: number;
}

export interface PytorchRun {
  torch: string;
  python: string;
  /** One result per requested case, in order. */
  results: PytorchResult[];
}

export type PytorchCase = TrainCase & { device: 'auto' | 'cpu' };

/** A Python that imports torch: $PYTHON, else Debian's /usr/bin/python3, else python3 on the PATH. */
export function findTorchPython(): { python: string } | { missing: string } {
  const candidates = [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => Boolean(p));
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
    if (probe.status === 0) return { python };
  }
  return { missing: `no Python with torch (tried ${candidates.join(', ')}: python3 -c "import torch" fails)` };
}

/** PyTorch times each case over at least this many steps (a PyTorch step is short; 3 would be noise). */
export const PYTORCH_MIN_STEPS = 10;

/** `threads`: torch.set_num_threads for the CPU (default: every core). */
export function runPytorch(python: string, cases: PytorchCase[], threads?: number): PytorchRun {
  const dir = mkdtempSync(join(tmpdir(), 'simclr-step-'));
  try {
    const file = join(dir, 'cases.json');
    writeFileSync(
      file,
      JSON.stringify({ cases: cases.map((c) => ({ ...c, steps: Math.max(c.steps, PYTORCH_MIN_STEPS) })) }),
    );
    const env = threads ? { ...process.env, TORCH_THREADS: String(threads) } : process.env;
    const out = execFileSync(python, [scriptPath(), file], { encoding: 'utf8', maxBuffer: 1 << 24, env });
    const parsed = JSON.parse(out) as { torch: string; results: PytorchResult[] };
    return { torch: parsed.torch, python, results: parsed.results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
