import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AugmentPreviewPanel, allGray } from './pages/AugmentPreview';
import { TINY_RUN } from './pages/TrainPanel';
import { expect, test } from './support/app';
import { FIXTURES_DIR, SHAPES_DIR, SHAPES_PNG_COUNT } from './support/fixtures';

// WebGPU, as before the backend comparison (it picked WebGPU when available); no comparison here.
test.use({ appQuery: '?backend=webgpu' });

test('the augmentation preview follows the sliders at once and a running run takes changes from its next step', async ({
  app,
}) => {
  test.setTimeout(300_000);
  const { data, train } = app;
  const preview = new AugmentPreviewPanel(app.page);
  await data.setStoredResolution(16);
  await data.loadFolder(SHAPES_DIR);
  await data.expectCount(SHAPES_PNG_COUNT);
  await train.configure({ ...TINY_RUN, imageSize: 16, trainFor: 200 });
  await train.expectBackend('webgpu');

  await test.step('8 pairs of views of the chosen image, made by the fused WebGPU kernel', async () => {
    await preview.preset('SimCLR ImageNet');
    await preview.chooseImage(3);
    await preview.waitForViews(/image 3, made by the fused WebGPU kernel/);
  });

  await test.step('a slider changes the views at once: grayscale p = 1 makes every view gray', async () => {
    await preview.setSlider('Colour jitter probability', 0);
    const before = await preview.pixels();
    await preview.setSlider('Grayscale probability', 1);
    const gray = await preview.waitForChange(before);
    expect(allGray(gray), 'every view is gray at grayscale p = 1').toBe(true);
    await preview.setSlider('Grayscale probability', 0);
    const colour = await preview.waitForChange(gray);
    expect(allGray(colour), 'colour returns at grayscale p = 0').toBe(false);
  });

  await test.step('during a run, a change applies from the next step and the run goes on', async () => {
    await train.startButton.click();
    const step = await train.waitForStep(2);
    await preview.preset('Light');
    await expect(preview.applied).toHaveText(/uses these settings from step (\d+)/, { timeout: 60_000 });
    const from = Number(/from step (\d+)/.exec((await preview.applied.textContent()) ?? '')?.[1]);
    expect(from).toBeGreaterThan(step);
    await train.waitForStep(from + 1);
    await train.stopButton.click();
    await train.expectPhase('stopped');
  });
});

/** Odd images written by Pillow: tiny, extreme aspect, grayscale, alpha, 16-bit, EXIF-rotated JPEG. */
const ODD_DIR = join(FIXTURES_DIR, 'odd');
const ODD_SCRIPT = `
import sys
from PIL import Image
out = sys.argv[1]
Image.new('RGB', (1, 1), (200, 30, 60)).save(f'{out}/one-pixel.png')
tall = Image.new('RGB', (1, 4000))
tall.putdata([(i % 256, 255 - i % 256, 128) for i in range(4000)])
tall.save(f'{out}/one-by-4000.png')
Image.linear_gradient('L').resize((40, 40)).save(f'{out}/grayscale.png')
rgba = Image.new('RGBA', (24, 24), (0, 0, 255, 0))
for x in range(12):
    for y in range(24):
        rgba.putpixel((x, y), (255, 0, 0, 255))
rgba.save(f'{out}/alpha.png')
deep = Image.new('I;16', (20, 20))
deep.putdata([i * 163 for i in range(400)])
deep.save(f'{out}/sixteen-bit.png')
# 16 x 8 stored: left half red, right half blue; EXIF orientation 6 shows it 8 x 16, red on top.
jpeg = Image.new('RGB', (16, 8), (0, 0, 255))
for x in range(8):
    for y in range(8):
        jpeg.putpixel((x, y), (255, 0, 0))
exif = Image.Exif()
exif[0x0112] = 6
jpeg.save(f'{out}/exif-rotated.jpg', quality=95, exif=exif)
`;

// Decoding and the views' size and orientation do not depend on the backend (the fused WebGPU kernel is the
// test above's and e2e/webgpu/fused-augment.gpu-test.ts's), so this runs on wasm: no shader compiles on SwiftShader.
test.describe('on wasm', () => {
  test.use({ appQuery: '?backend=wasm' });

  test('odd images (1x1, 1x4000, grayscale, alpha, 16-bit PNG, EXIF-rotated JPEG) give valid views and train', async ({
    app,
  }) => {
    test.setTimeout(300_000);
    rmSync(ODD_DIR, { recursive: true, force: true });
    mkdirSync(ODD_DIR, { recursive: true });
    execFileSync('/usr/bin/python3', ['-c', ODD_SCRIPT, ODD_DIR]);
    const { data, train } = app;
    const preview = new AugmentPreviewPanel(app.page);
    await data.setStoredResolution(16);
    await data.loadFolder(ODD_DIR);
    await data.expectCount(6);
    await train.configure({ ...TINY_RUN, imageSize: 16, batchSize: 6, trainFor: 2 });

    await test.step('every image previews: 16 views of 16 x 16 px', async () => {
      for (let image = 1; image <= 6; image++) {
        await preview.chooseImage(image);
        await preview.waitForViews(new RegExp(`image ${image}, made by`));
        const sizes = await preview.views.evaluateAll((c) =>
          (c as HTMLCanvasElement[]).map((v) => `${v.width}x${v.height}`),
        );
        expect(new Set(sizes)).toEqual(new Set(['16x16']));
      }
    });

    await test.step('the EXIF orientation is honoured: identity views of the JPEG are red on top, blue below', async () => {
      for (const [label, value] of [
        ['Crop area min', 1],
        ['Aspect ratio min', 1],
        ['Aspect ratio max', 1],
        ['Flip probability', 0],
        ['Colour jitter probability', 0],
        ['Grayscale probability', 0],
        ['Blur probability', 0],
      ] as const)
        await preview.setSlider(label, value);
      // thumbnails are in data-set order, each named by its path
      const names = await data.thumbnailGrid
        .getByRole('img')
        .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('aria-label') ?? ''));
      const jpeg = names.findIndex((n) => n.endsWith('exif-rotated.jpg'));
      expect(jpeg, 'the JPEG was loaded').toBeGreaterThanOrEqual(0);
      await preview.chooseImage(jpeg + 1);
      await preview.waitForViews(new RegExp(`image ${jpeg + 1}, made by`));
      const [view] = await preview.pixels();
      const at = (x: number, y: number) => view!.slice((y * 16 + x) * 4, (y * 16 + x) * 4 + 3);
      const [top, bottom] = [at(8, 2), at(8, 13)];
      expect(top[0]!, `top is red: ${top}`).toBeGreaterThan(180);
      expect(top[2]!, `top is red: ${top}`).toBeLessThan(80);
      expect(bottom[2]!, `bottom is blue: ${bottom}`).toBeGreaterThan(180);
      expect(bottom[0]!, `bottom is blue: ${bottom}`).toBeLessThan(80);
    });

    await test.step('two training steps on them give a finite loss', async () => {
      await train.startButton.click();
      await train.waitForStep(2);
      await train.expectPhase('done');
      expect(Number.isFinite(await train.numberAttr(train.lossChart, 'data-last'))).toBe(true);
    });
  });
});
