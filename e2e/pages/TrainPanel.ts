import { expect, type Locator, type Page } from '@playwright/test';
import { openAdvanced } from './layout';

export type Phase = 'idle' | 'preparing' | 'running' | 'paused' | 'stopping' | 'stopped' | 'done' | 'error';

export interface TrainSettings {
  encoder?: 'resnet18' | 'resnet-small';
  widthMultiplier?: number;
  imageSize?: number;
  batchSize?: number;
  temperature?: number;
  learningRate?: number;
  optimizer?: 'adam' | 'sgd';
  weightDecay?: number;
  trainFor?: number;
  durationUnit?: 'epochs' | 'steps';
  seed?: number;
  metricsEvery?: number;
  /** Images per chunk of a step, or 'auto' (typed into the Chunk field after the batch size). */
  chunk?: number | 'auto';
}

/** The smallest run that exercises everything: fast enough on SwiftShader (WebGPU emulated on the CPU). */
export const TINY_RUN: TrainSettings = {
  encoder: 'resnet-small',
  widthMultiplier: 0.0625,
  imageSize: 16,
  batchSize: 8,
  durationUnit: 'steps',
  trainFor: 40,
  metricsEvery: 1,
};

/** Settings under "Advanced settings" (closed until opened). */
const ADVANCED: readonly (keyof TrainSettings)[] = [
  'temperature',
  'learningRate',
  'optimizer',
  'weightDecay',
  'seed',
  'metricsEvery',
  'chunk',
];

const NUMBER_FIELDS = {
  widthMultiplier: 'Width multiplier',
  imageSize: 'Image size (px)',
  batchSize: 'Batch size',
  temperature: 'Temperature',
  learningRate: 'Learning rate',
  weightDecay: 'Weight decay',
  trainFor: 'Train for',
  seed: 'Seed',
  metricsEvery: 'Metrics every (steps)',
} as const satisfies Partial<Record<keyof TrainSettings, string>>;

/** The run bar (Start/Pause/Resume/Stop, figures), the Train step's settings and the Training tab's charts. */
export class TrainPanel {
  readonly startButton: Locator;
  readonly pauseButton: Locator;
  readonly resumeButton: Locator;
  readonly stopButton: Locator;
  readonly continueButton: Locator;
  /** "Saving step N…" / "Saved at step N" beside the run controls; data-saved-step holds N. */
  readonly saveStatus: Locator;
  readonly backendStatus: Locator;
  readonly phase: Locator;
  readonly stepCounter: Locator;
  readonly lossValue: Locator;
  readonly lrValue: Locator;
  readonly throughput: Locator;
  readonly eta: Locator;
  readonly lossChart: Locator;
  readonly lrChart: Locator;
  readonly similarityChart: Locator;
  readonly heatmap: Locator;

  constructor(readonly page: Page) {
    this.startButton = page.getByRole('button', { name: 'Start', exact: true });
    this.pauseButton = page.getByRole('button', { name: 'Pause', exact: true });
    this.resumeButton = page.getByRole('button', { name: 'Resume', exact: true });
    this.stopButton = page.getByRole('button', { name: 'Stop', exact: true });
    this.continueButton = page.getByRole('button', { name: 'Continue', exact: true });
    this.saveStatus = page.getByTestId('save-status');
    this.backendStatus = page.getByTestId('backend-status');
    this.phase = page.getByTestId('train-phase');
    this.stepCounter = page.getByTestId('step-counter');
    this.lossValue = page.getByTestId('loss-value');
    this.lrValue = page.getByTestId('lr-value');
    this.throughput = page.getByTestId('throughput');
    this.eta = page.getByTestId('eta');
    this.lossChart = page.getByTestId('loss-chart');
    this.lrChart = page.getByTestId('lr-chart');
    this.similarityChart = page.getByTestId('similarity-chart');
    this.heatmap = page.getByTestId('similarity-heatmap');
  }

  field(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  async openAdvanced(): Promise<void> {
    await openAdvanced(this.page);
  }

  async configure(settings: TrainSettings): Promise<void> {
    if (ADVANCED.some((key) => settings[key] !== undefined)) await this.openAdvanced();
    // Selects first: the encoder and the duration unit may change which numbers make sense.
    if (settings.encoder) await this.field('Encoder').selectOption(settings.encoder);
    if (settings.optimizer) await this.field('Optimizer').selectOption(settings.optimizer);
    if (settings.durationUnit) await this.field('Duration unit').selectOption(settings.durationUnit);
    for (const [key, label] of Object.entries(NUMBER_FIELDS) as [keyof typeof NUMBER_FIELDS, string][]) {
      const value = settings[key];
      if (value === undefined) continue;
      const input = this.field(label);
      await input.fill(String(value));
      await input.blur();
      await expect(input, `${label} keeps the value typed`).toHaveValue(String(value));
    }
    if (settings.chunk !== undefined) {
      const input = this.field('Chunk (images)');
      await input.fill(String(settings.chunk));
      await input.blur();
      await expect(input, 'Chunk keeps the value typed').toHaveValue(String(settings.chunk));
    }
  }

  /** The backend name in "Backend: <name> — <reason>", or '' before one is chosen. */
  async backendName(): Promise<string> {
    const text = (await this.backendStatus.textContent()) ?? '';
    return /Backend:\s*([a-z0-9]+)/i.exec(text)?.[1]?.toLowerCase() ?? '';
  }

  async backendReason(): Promise<string> {
    const text = (await this.backendStatus.textContent()) ?? '';
    return text
      .split(/\s[—–-]\s/)
      .slice(1)
      .join(' - ')
      .trim();
  }

  /** How the backend was chosen: 'measured', 'remembered', 'picked', 'url', 'fallback' ('' while starting). */
  async backendSource(): Promise<string> {
    return (await this.backendStatus.getAttribute('data-source')) ?? '';
  }

  async expectBackend(name: string | RegExp, timeout = 120_000): Promise<void> {
    await expect
      .poll(() => this.backendName(), { timeout, message: 'backend-status names the backend' })
      .toMatch(typeof name === 'string' ? new RegExp(`^${name}$`) : name);
  }

  /**
   * Clicks `button` from inside the page the moment the step counter reaches `step`, so the run cannot
   * get further first (a click from the test would arrive steps late on a fast backend).
   */
  async clickWhenStepReaches(step: number, button: 'Pause' | 'Stop'): Promise<void> {
    await this.page.evaluate(
      ({ step, button }) => {
        const counter = document.querySelector('[data-testid="step-counter"]');
        if (!counter) throw new Error('no step counter');
        const observer = new MutationObserver(() => {
          if (Number(counter.getAttribute('data-step')) >= step) {
            observer.disconnect();
            [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === button)?.click();
          }
        });
        observer.observe(counter, { attributes: true, subtree: true, characterData: true, childList: true });
      },
      { step, button },
    );
  }

  /** The step the save status says is saved (NaN before a save). */
  async savedStep(): Promise<number> {
    return this.numberAttr(this.saveStatus, 'data-saved-step');
  }

  async step(): Promise<number> {
    const raw = await this.stepCounter.getAttribute('data-step');
    return raw === null ? Number.NaN : Number(raw);
  }

  /** Waits until data-step >= atLeast; fails at once, with the error banner's text, if the run errors. */
  async waitForStep(atLeast: number, timeout = 180_000): Promise<number> {
    await expect
      .poll(async () => (await this.step()) >= atLeast || (await this.currentPhase()) === 'error', {
        timeout,
        message: `step-counter reaches data-step >= ${atLeast}`,
      })
      .toBe(true);
    if ((await this.currentPhase()) === 'error') {
      const banner = this.page.getByTestId('error-banner');
      const detail = (await banner.count()) > 0 ? ((await banner.first().textContent()) ?? '') : '(no error-banner)';
      throw new Error(`training went to phase 'error' before step ${atLeast}: ${detail}`);
    }
    return this.step();
  }

  async currentPhase(): Promise<string> {
    return ((await this.phase.textContent()) ?? '').trim().toLowerCase();
  }

  async expectPhase(phase: Phase, timeout = 60_000): Promise<void> {
    await expect(this.phase).toHaveText(new RegExp(`\\b${phase}\\b`, 'i'), { timeout });
  }

  async numberAttr(locator: Locator, name: string): Promise<number> {
    const raw = await locator.getAttribute(name);
    return raw === null || raw.trim() === '' ? Number.NaN : Number(raw);
  }
}
