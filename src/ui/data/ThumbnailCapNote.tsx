import { thumbnails, useAppStore } from '../../store';
import { useFrameVersion } from '../hooks/useFrameVersion';

/** Says so when the grid shows fewer thumbnails than there are images (thumbnails are capped to bound memory). */
export function ThumbnailCapNote() {
  useFrameVersion(thumbnails);
  const imageCount = useAppStore((s) => s.dataset.imageCount);
  const shown = thumbnails.count;
  if (shown === 0 || imageCount <= shown) return null;
  return (
    <p className="muted small" data-testid="thumbnail-cap">
      Thumbnails are shown for the first {shown.toLocaleString('en-US')} images only, to keep this tab's memory bounded;
      all {imageCount.toLocaleString('en-US')} images are used for training.
    </p>
  );
}
