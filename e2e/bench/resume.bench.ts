/**
 * Exact resume per backend: the largest per-step loss difference between N steps in one go and
 * N/2 steps + page reload + Resume + N/2 steps (the e2e test asserts <= 1e-5 on the CPU backend; this
 * states the figure for WebGPU too).
 */
import { TINY_RUN } from '../pages/TrainPanel';
import { App, expect, test } from '../support/app';
import { SHAPES_DIR, SHAPES_PNG_COUNT } from '../support/fixtures';
import { PROFILE, report } from './report';

const BACKENDS = ['cpu', 'webgpu'] as const;
/** RESUME_STEPS (even) overrides the profile's length, e.g. 20 to match e2e/resume.spec.ts. */
const STEPS = Number(process.env.RESUME_STEPS) || (PROFILE === 'full' ? 40 : 4);

for (const backend of BACKENDS) {
  test(`resume on ${backend}: ${STEPS} steps straight vs ${STEPS / 2} + reload + ${STEPS / 2}`, async ({ page }) => {
    test.setTimeout(600_000);
    const app = new App(page);
    const { data, train, runs } = app;
    await page.goto(`/?backend=${backend}`);
    await train.expectBackend(backend, 180_000);
    await data.setStoredResolution(16);
    await data.loadFolder(SHAPES_DIR);
    await data.expectCount(SHAPES_PNG_COUNT);
    await train.configure({ ...TINY_RUN, imageSize: 16, trainFor: STEPS, metricsEvery: 1 });
    await runs.setAutosave(STEPS / 2, 0);

    await train.startButton.click();
    await train.expectPhase('done', 480_000);
    const straight = await runs.losses();
    await train.clickWhenStepReaches(STEPS / 2, 'Pause');
    await train.startButton.click();
    await train.expectPhase('paused', 480_000);
    const pausedAt = await train.step(); // Pause saves where it landed (STEPS / 2 or a step later)
    await page.reload();
    await train.expectBackend(backend, 180_000);
    await expect.poll(() => runs.steps()).toEqual([pausedAt, STEPS]);
    await runs.resume(0);
    await train.expectPhase('done', 480_000);
    const resumed = await runs.losses();

    let diff = 0;
    for (let step = 1; step <= STEPS; step++) {
      diff = Math.max(diff, Math.abs((straight.get(step) ?? Number.NaN) - (resumed.get(step) ?? Number.NaN)));
    }
    const config = { backend, steps: STEPS, encoder: 'resnet-small', width: 0.0625, imageSize: 16, batch: 8 };
    report({ metric: 'resume max abs loss diff', value: diff, unit: 'loss', ...config });
  });
}
