/// <reference types="node" />
import { spawnSync } from 'node:child_process';

/**
 * The Python the PyTorch tests run: Debian's /usr/bin/python3 with python3-torch and python3-torchvision
 * (`.ci/run` installs them), or TORCH_PYTHON, e.g. a wrapper that runs another PyTorch version.
 */
export const TORCH_PYTHON = process.env.TORCH_PYTHON ?? '/usr/bin/python3';

/** Whether TORCH_PYTHON imports torch and torchvision (and `extra` modules); warns once with the fix when not. */
export function hasTorch(what: string, extra: string[] = []): boolean {
  const modules = ['torch', 'torchvision', ...extra].join(', ');
  const ok = spawnSync(TORCH_PYTHON, ['-c', `import ${modules}`], { stdio: 'ignore' }).status === 0;
  if (!ok)
    console.warn(
      `${what} skipped: ${TORCH_PYTHON} cannot import ${modules} (apt-get install python3-torch python3-torchvision).`,
    );
  return ok;
}
