/** Augmentation preview slice: which image, the latest views from the worker, live changes to a run. */
import { type EventOf, unhandledEvent } from '../slice-events';

export interface PreviewViews {
  imageIndex: number;
  viewSize: number;
  pairs: number;
  /** 2 x pairs RGBA views; views 2p and 2p + 1 are pair p. */
  pixels: Uint8ClampedArray;
  engine: 'fused' | 'tfops';
}

export interface AugmentPreviewState {
  imageIndex: number;
  /** Seed of the preview's random parameters ("New draw" changes it). */
  seed: number;
  /** The request in flight, if any; only its answer is shown. */
  requestId: number | null;
  /** A change arrived while a request was in flight: ask again when it answers. */
  stale: boolean;
  views: PreviewViews | null;
  error: string | null;
  /** Step from which the running run uses the changed augmentation (null before any change). */
  appliedFromStep: number | null;
}

export const initialAugmentPreviewState = (): AugmentPreviewState => ({
  imageIndex: 0,
  seed: 1,
  requestId: null,
  stale: false,
  views: null,
  error: null,
  appliedFromStep: null,
});

/** The worker events this slice answers; store/app-store.ts routes only these here. */
export const AUGMENT_PREVIEW_EVENTS = [
  'augmentPreview',
  'augmentApplied',
  'error',
  'imagesCleared',
  'trainState',
] as const;
export type AugmentPreviewEvent = EventOf<(typeof AUGMENT_PREVIEW_EVENTS)[number]>;

export function augmentPreviewReducer(state: AugmentPreviewState, event: AugmentPreviewEvent): AugmentPreviewState {
  switch (event.type) {
    case 'augmentPreview':
      if (event.requestId !== state.requestId) return state;
      return {
        ...state,
        requestId: null,
        error: null,
        views: {
          imageIndex: event.imageIndex,
          viewSize: event.viewSize,
          pairs: event.pairs,
          pixels: event.pixels,
          engine: event.engine,
        },
      };
    case 'augmentApplied':
      return { ...state, appliedFromStep: event.fromStep };
    case 'error':
      if (event.requestId === null || event.requestId !== state.requestId) return state;
      return { ...state, requestId: null, stale: false, error: event.error.message };
    case 'imagesCleared':
      return initialAugmentPreviewState();
    case 'trainState':
      return event.phase === 'preparing' ? { ...state, appliedFromStep: null } : state;
    default:
      return unhandledEvent(event);
  }
}
