/**
 * `npm run bench:node`: the training-speed bench on a machine with a GPU and no browser. Runs the same
 * engine code as the page (engine.ts) in Node on WebGPU through the `webgpu` package (Dawn), and prints
 * the same metric lines (runtime 'node-dawn'). Where Dawn finds no GPU adapter, it runs on SwiftShader's
 * Vulkan from Debian's chromium package (CPU emulation: correct, slow).
 */
import { spawnSync } from 'node:child_process';
import { create, globals } from 'webgpu';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

interface AdapterSummary {
  description: string;
  fallback: boolean;
}

/**
 * Which adapter Dawn finds with the machine's own Vulkan drivers. Asked in a child process: the Vulkan
 * loader reads VK_ICD_FILENAMES when Dawn starts, so it has to be decided before this process starts Dawn.
 */
function probeAdapter(): AdapterSummary | null {
  const script = `import { create } from 'webgpu';
const a = await create([]).requestAdapter({ powerPreference: 'high-performance' });
const i = a?.info;
console.log(JSON.stringify(a ? { description: [i.vendor, i.architecture, i.description].filter(Boolean).join(' '), fallback: Boolean(i.isFallbackAdapter) } : null));
process.exit(0);`;
  const probe = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    // npm runs scripts in the repository root, where 'webgpu' resolves
    cwd: process.cwd(),
    encoding: 'utf8',
    env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' },
    timeout: 60_000,
  });
  const line = probe.stdout.trim().split('\n').pop() ?? 'null';
  try {
    return JSON.parse(line) as AdapterSummary | null;
  } catch {
    return null;
  }
}

process.env.XDG_RUNTIME_DIR ??= '/tmp';
let vulkan = 'system drivers';
if (!process.env.VK_ICD_FILENAMES) {
  const found = probeAdapter();
  if (!found || found.fallback) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    vulkan = `SwiftShader (${found ? `only a fallback adapter found: ${found.description}` : 'no GPU adapter found'})`;
  }
} else {
  vulkan = `VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES}`;
}

Object.assign(globalThis, globals);
const nav = ((globalThis as { navigator?: object }).navigator ?? {}) as { gpu?: unknown };
nav.gpu = create([]);
if (!(globalThis as { navigator?: object }).navigator) Object.assign(globalThis, { navigator: nav });

// Imported only now: tfjs-backend-webgpu registers itself only when navigator.gpu exists.
const { runNodeBench } = await import('./node-bench');
await runNodeBench(vulkan);
// Dawn keeps handles open; the bench is done.
process.exit(0);
