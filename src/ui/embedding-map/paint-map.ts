import type { MapCommand } from './map-drawing';

/** Paints the map's commands on a canvas sized `width` x `height` CSS px at the screen's pixel ratio. */
export function paintMap(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  commands: readonly MapCommand[],
  atlas: CanvasImageSource | null,
): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const ratio = globalThis.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.imageSmoothingEnabled = false;
  context.lineWidth = 2;
  for (const c of commands) {
    switch (c.kind) {
      case 'fill':
        context.fillStyle = c.colour;
        context.fillRect(c.x, c.y, c.width, c.height);
        break;
      case 'outline':
        context.strokeStyle = c.colour;
        context.strokeRect(c.x, c.y, c.width, c.height);
        break;
      case 'path': {
        context.strokeStyle = c.colour;
        context.beginPath();
        for (let i = 0; i + 1 < c.points.length; i += 2) {
          const x = c.points[i] ?? 0;
          const y = c.points[i + 1] ?? 0;
          if (i === 0) context.moveTo(x, y);
          else context.lineTo(x, y);
        }
        if (c.closed) context.closePath();
        context.stroke();
        break;
      }
      case 'thumbnail':
        if (atlas) context.drawImage(atlas, c.sourceX, c.sourceY, c.sourceSize, c.sourceSize, c.x, c.y, c.size, c.size);
        break;
    }
  }
}
