/**
 * The working-size data set: every image as size x size x 3 RGB bytes in one growable buffer, with
 * the path it was loaded from. Batches are gathered from here and uploaded as one tensor per step.
 */
export class ImageStore {
  private buffer: Uint8Array;
  private count = 0;
  readonly paths: string[] = [];

  constructor(
    readonly size: number,
    initialCapacity = 256,
  ) {
    this.buffer = new Uint8Array(initialCapacity * this.imageBytes);
  }

  get imageBytes(): number {
    return this.size * this.size * 3;
  }

  get length(): number {
    return this.count;
  }

  add(rgb: Uint8Array, path: string): number {
    if (rgb.length !== this.imageBytes) throw new Error(`expected ${this.imageBytes} bytes, got ${rgb.length}`);
    if ((this.count + 1) * this.imageBytes > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.imageBytes));
      grown.set(this.buffer.subarray(0, this.count * this.imageBytes));
      this.buffer = grown;
    }
    this.buffer.set(rgb, this.count * this.imageBytes);
    this.paths.push(path);
    return this.count++;
  }

  image(index: number): Uint8Array {
    if (index < 0 || index >= this.count) throw new RangeError(`image ${index} out of range`);
    return this.buffer.subarray(index * this.imageBytes, (index + 1) * this.imageBytes);
  }

  /** Pixel values of the given images, [indices.length, size, size, 3] row-major, as int32 for tf. */
  gather(indices: ArrayLike<number>): Int32Array {
    const out = new Int32Array(indices.length * this.imageBytes);
    for (let i = 0; i < indices.length; i++) out.set(this.image(indices[i]!), i * this.imageBytes);
    return out;
  }
}
