import { generateFixtures } from './support/fixtures';

export default function globalSetup(): void {
  generateFixtures();
}
