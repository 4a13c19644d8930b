import { useAppStore, useShallow } from '../../store';

/** Which compute backend the worker got, and why (a fallback is a warning, not an error). */
export function BackendStatus() {
  const backend = useAppStore(useShallow((s) => s.training.backend));
  let text: string;
  let tone: string;
  if (backend.state === 'starting') {
    text = 'Starting the compute backend…';
    tone = 'pending';
  } else if (backend.state === 'failed') {
    text = `Backend failed to start — ${backend.reason}`;
    tone = 'failed';
  } else {
    const kernels = backend.customKernels.length > 0 ? ` · our kernels: ${backend.customKernels.join(', ')}` : '';
    text = `Backend: ${backend.backend} — ${backend.reason || 'ready'}${kernels}`;
    tone = backend.backend === 'webgpu' ? 'ok' : 'fallback';
  }
  return (
    <p
      className={`backend-status ${tone}`}
      data-testid="backend-status"
      data-backend={backend.backend ?? ''}
      title={backend.adapterInfo || undefined}
    >
      {tone === 'fallback' && <span aria-hidden="true">⚠ </span>}
      {text}
    </p>
  );
}
