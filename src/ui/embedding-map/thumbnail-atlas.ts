import { thumbnails } from '../../store';

/**
 * All thumbnails in one canvas (a grid of size x size tiles), rebuilt when the thumbnail store changes,
 * so the map draws each point with one drawImage call.
 */
export class ThumbnailAtlas {
  #canvas: HTMLCanvasElement | null = null;
  #version = -1;
  #columns = 1;
  #size = 0;

  /** The atlas for the current thumbnails (rebuilt only when they changed). */
  get(): { canvas: HTMLCanvasElement; columns: number; size: number } | null {
    const { count, size, version } = thumbnails;
    if (count === 0 || size === 0) return null;
    if (!this.#canvas || this.#version !== version) {
      const columns = Math.ceil(Math.sqrt(count));
      const canvas = this.#canvas ?? document.createElement('canvas');
      canvas.width = columns * size;
      canvas.height = Math.ceil(count / columns) * size;
      const context = canvas.getContext('2d');
      if (!context) return null;
      for (let i = 0; i < count; i++) {
        const pixels = thumbnails.pixelsAt(i);
        if (!pixels) continue;
        context.putImageData(
          new ImageData(new Uint8ClampedArray(pixels), size, size),
          (i % columns) * size,
          Math.floor(i / columns) * size,
        );
      }
      this.#canvas = canvas;
      this.#version = version;
      this.#columns = columns;
      this.#size = size;
    }
    return { canvas: this.#canvas, columns: this.#columns, size: this.#size };
  }
}
