/** Export slice: the encoder archive request and the "try the encoder" embedding. */
import { isWorkerCrash } from '../events';
import { type EventOf, unhandledEvent } from '../slice-events';

export interface EmbeddingResult {
  name: string;
  /** The full vector (a few hundred numbers: fine as plain data). */
  values: number[];
}

export interface ExportState {
  exportRequestId: number | null;
  /** What the pending export builds: the encoder zip or the PyTorch recipe folder. */
  exportKind: 'encoder' | 'recipe';
  /** The last archive built: its name and size. */
  lastExport: { filename: string; bytes: number } | null;
  embedRequestId: number | null;
  embedding: EmbeddingResult | null;
}

export const initialExportState = (): ExportState => ({
  exportRequestId: null,
  exportKind: 'encoder',
  lastExport: null,
  embedRequestId: null,
  embedding: null,
});

/** The worker events this slice answers; store/app-store.ts routes only these here. */
export const EXPORT_EVENTS = ['embedded', 'error'] as const;
export type ExportEvent = EventOf<(typeof EXPORT_EVENTS)[number]>;

export function exportReducer(state: ExportState, event: ExportEvent): ExportState {
  switch (event.type) {
    case 'embedded':
      if (event.requestId !== state.embedRequestId) return state;
      return { ...state, embedRequestId: null, embedding: { name: event.name, values: Array.from(event.embedding) } };
    case 'error':
      if (isWorkerCrash(event)) return { ...state, exportRequestId: null, embedRequestId: null };
      if (event.requestId === null) return state;
      return {
        ...state,
        exportRequestId: event.requestId === state.exportRequestId ? null : state.exportRequestId,
        embedRequestId: event.requestId === state.embedRequestId ? null : state.embedRequestId,
      };
    default:
      return unhandledEvent(event);
  }
}
