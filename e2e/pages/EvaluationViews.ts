import { expect, type Locator, type Page } from '@playwright/test';
import { type LiveTab, showTab } from './layout';

/** The live views' tabs: health, embedding map with neighbours, kNN monitor and probe. */
export class EvaluationViews {
  readonly liveViewsToggle: Locator;
  readonly mapEvery: Locator;
  readonly health: Locator;
  readonly collapseWarning: Locator;
  readonly top1: Locator;
  readonly histogram: Locator;
  readonly map: Locator;
  readonly neighbours: Locator;
  readonly neighbourItems: Locator;
  readonly knn20: Locator;
  readonly knn200: Locator;
  readonly knnChart: Locator;
  readonly absentReason: Locator;
  readonly probeButton: Locator;
  readonly probeResult: Locator;
  readonly searchInput: Locator;
  readonly searchProgress: Locator;
  readonly searchError: Locator;
  readonly nameFilter: Locator;
  readonly labelFilter: Locator;
  readonly shownCount: Locator;
  readonly selection: Locator;
  readonly lassoMode: Locator;

  constructor(readonly page: Page) {
    this.liveViewsToggle = page.getByLabel('Show live views', { exact: true });
    this.mapEvery = page.getByLabel('Map every (steps)', { exact: true });
    this.health = page.getByTestId('health-views');
    this.collapseWarning = page.getByTestId('collapse-warning');
    this.top1 = page.getByTestId('contrastive-top1');
    this.histogram = page.getByTestId('similarity-histogram');
    this.map = page.getByTestId('embedding-map');
    this.neighbours = page.getByTestId('neighbours');
    this.neighbourItems = page.getByTestId('neighbour');
    this.knn20 = page.getByTestId('knn-k20');
    this.knn200 = page.getByTestId('knn-k200');
    this.knnChart = page.getByTestId('knn-chart');
    this.absentReason = page.getByTestId('evaluation-absent');
    this.probeButton = page.getByRole('button', { name: 'Run linear probe', exact: true });
    this.probeResult = page.getByTestId('probe-result');
    this.searchInput = page.getByLabel('Find images like…', { exact: true });
    this.searchProgress = page.getByTestId('search-progress');
    this.searchError = page.getByTestId('search-error');
    this.nameFilter = page.getByRole('searchbox', { name: 'Find by file name' });
    this.labelFilter = page.getByRole('combobox', { name: 'Label' });
    this.shownCount = page.getByTestId('map-shown');
    this.selection = page.getByTestId('map-selection');
    this.lassoMode = page.getByRole('radio', { name: 'select (lasso)' });
  }

  /** Selects a live-view tab: health, map and evaluation each have their own. */
  async show(tab: LiveTab): Promise<void> {
    await showTab(this.page, tab);
  }

  /** Runs the linear probe from the Evaluation tab. */
  async runProbe(): Promise<void> {
    await this.show('Evaluation');
    await this.probeButton.click();
  }

  async setMapEvery(steps: number): Promise<void> {
    await this.mapEvery.fill(String(steps));
    await this.mapEvery.blur();
    await expect(this.mapEvery).toHaveValue(String(steps));
  }

  async number(locator: Locator, attribute = 'data-value'): Promise<number> {
    const raw = await locator.getAttribute(attribute);
    return raw === null || raw.trim() === '' ? Number.NaN : Number(raw);
  }

  /** Clicks the first embedded image where the map drew it (the canvas publishes its screen position). */
  async clickFirstPoint(): Promise<void> {
    await this.show('Map and neighbours');
    const raw = (await this.map.getAttribute('data-first-point')) ?? '';
    const [x, y] = raw.split(',').map(Number);
    if (!Number.isFinite(x) || !Number.isFinite(y))
      throw new Error(`the map has no points (data-first-point='${raw}')`);
    await this.map.click({ position: { x: x!, y: y! } });
  }

  /** The search results' file paths and similarities, most similar first. */
  async results(): Promise<{ path: string; similarity: number }[]> {
    return this.neighbourItems.evaluateAll((items) =>
      items.map((item) => ({
        path: item.querySelector('[role="img"]')?.getAttribute('aria-label') ?? '',
        similarity: Number(item.getAttribute('data-similarity')),
      })),
    );
  }

  /** Draws a lasso with the mouse around the whole canvas, `inset` px inside its edges. */
  async lassoAll(inset = 4): Promise<void> {
    const box = await this.map.boundingBox();
    if (!box) throw new Error('the map is not on the screen');
    const corners = [
      [box.x + inset, box.y + inset],
      [box.x + box.width - inset, box.y + inset],
      [box.x + box.width - inset, box.y + box.height - inset],
      [box.x + inset, box.y + box.height - inset],
    ] as const;
    await this.page.mouse.move(corners[0][0], corners[0][1]);
    await this.page.mouse.down();
    for (const [x, y] of corners.slice(1)) await this.page.mouse.move(x, y, { steps: 4 });
    await this.page.mouse.up();
  }
}
