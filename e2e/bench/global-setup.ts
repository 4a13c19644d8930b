import { rmSync } from 'node:fs';
import { generateFixtures } from '../support/fixtures';
import { RESULTS_FILE } from './report';

/** The benches load the same generated images as the tests (e2e/.fixtures/, gitignored): make them here too. */
export default function globalSetup(): void {
  rmSync(RESULTS_FILE, { force: true });
  generateFixtures();
}
