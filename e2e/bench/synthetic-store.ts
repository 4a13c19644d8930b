import { ImageStore } from '../../src/core/data/image-store';
import { Rng } from '../../src/core/random/rng';

/** `count` seeded random-noise images of `size` px, the data set the bench pages train and augment on. */
export function syntheticStore(count: number, size: number): ImageStore {
  const store = new ImageStore(size, count);
  const rng = new Rng(3);
  const image = new Uint8Array(size * size * 3);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < image.length; k++) image[k] = (rng.nextUint32() >>> 24) & 255;
    store.add(image, `synthetic-${i}`);
  }
  return store;
}
