import { generateBadInputFixtures } from './support/bad-input-fixtures';
import { generateFixtures } from './support/fixtures';

export default function globalSetup(): void {
  generateFixtures();
  generateBadInputFixtures();
}
