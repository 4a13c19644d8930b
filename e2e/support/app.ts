import { test as base, expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { DataPanel } from '../pages/DataPanel';
import { ExportPanel } from '../pages/ExportPanel';
import { RunsPanel } from '../pages/RunsPanel';
import { TrainPanel } from '../pages/TrainPanel';

/** The whole app as one person sees it: Data -> Train -> Export, plus the error banner. */
export class App {
  readonly data: DataPanel;
  readonly train: TrainPanel;
  readonly exporter: ExportPanel;
  readonly runs: RunsPanel;
  readonly errorBanner: Locator;
  /** Uncaught page/worker errors and console errors, attached to the report when a test fails. */
  readonly problems: string[] = [];

  /** `query`: what open() adds to '/' when given nothing, e.g. '?backend=wasm'. */
  constructor(
    readonly page: Page,
    readonly query = '',
  ) {
    this.data = new DataPanel(page);
    this.train = new TrainPanel(page);
    this.exporter = new ExportPanel(page);
    this.runs = new RunsPanel(page, this.exporter);
    this.errorBanner = page.getByTestId('error-banner');
    page.on('pageerror', (error) => this.problems.push(`pageerror: ${error.stack ?? error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.problems.push(`console.error: ${message.text()}`);
    });
    page.on('crash', () => this.problems.push('page crashed'));
  }

  /** Opens the app; `query` e.g. '?backend=wasm' (none: the app compares the backends first). */
  async open(query = this.query): Promise<void> {
    await this.page.goto(`/${query}`);
    await this.rendered();
  }

  /** Reloads the page and waits until it renders again. */
  async reload(): Promise<void> {
    await this.page.reload();
    await this.rendered();
  }

  private async rendered(): Promise<void> {
    await expect(this.data.dropZone, 'the Data panel renders').toBeVisible({ timeout: 60_000 });
  }

  async attachProblems(testInfo: TestInfo): Promise<void> {
    if (this.problems.length === 0) return;
    await testInfo.attach('page-problems.txt', { body: this.problems.join('\n\n'), contentType: 'text/plain' });
    if (testInfo.status !== testInfo.expectedStatus) console.log(`Page problems:\n${this.problems.join('\n')}`);
  }
}

/**
 * `test` with an `app` fixture: the built app opened at '/' plus `appQuery`. Without `?backend=` the app
 * times every backend before it is ready (worker/backend-comparison.ts), so specs that are not about the
 * choice set one with `test.use({ appQuery: '?backend=…' })`. A test that must listen or route before the
 * first load takes `unopenedApp` instead and calls its open() itself.
 */
export const test = base.extend<{ app: App; unopenedApp: App; appQuery: string }>({
  appQuery: ['', { option: true }],
  unopenedApp: async ({ page, appQuery }, use, testInfo) => {
    const app = new App(page, appQuery);
    await use(app);
    await app.attachProblems(testInfo);
  },
  app: async ({ unopenedApp }, use) => {
    await unopenedApp.open();
    await use(unopenedApp);
  },
});

export { expect };
