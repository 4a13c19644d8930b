import { isRunActive, useAppStore } from '../../store';
import { AugmentPreview } from '../augment-preview/AugmentPreview';
import { Panel } from '../common/Panel';
import { LiveViews, LiveViewsToggle, RepresentationViews } from '../evaluation/LiveViews';
import { formatLoss } from '../format';
import { HealthViews } from '../health/HealthViews';
import { BackendStatus } from './BackendStatus';
import { LossCharts } from './LossCharts';
import { ModelInfo } from './ModelInfo';
import { RunControls } from './RunControls';
import { RunStatus } from './RunStatus';
import { SimilarityChart } from './SimilarityChart';
import { SimilarityHeatmap } from './SimilarityHeatmap';
import { TrainSettings } from './TrainSettings';
import './train.css';

function useTrainStatus(): string {
  return useAppStore((s) => {
    const { phase, step, message, last, backend } = s.training;
    if (s.training.pending === 'start') return 'Starting the run…';
    switch (phase) {
      case 'preparing':
        return 'Preparing: building the model and compiling GPU kernels (the first step can take a while)…';
      case 'running':
        return `Training: step ${step}, loss ${formatLoss(last?.loss)}.`;
      case 'paused':
        return `Paused at step ${step}. Resume, or Stop and export.`;
      case 'stopping':
        return 'Stopping after the current step…';
      case 'stopped':
        return s.training.canContinue
          ? `Stopped at step ${step}. Continue from here, export the encoder in step 3, or Start a new run.`
          : `Stopped at step ${step}. Export the encoder in step 3, or Start a new run.`;
      case 'done':
        return `Done: ${step} steps trained. Export the encoder in step 3.`;
      case 'error':
        return `The run failed${message ? `: ${message}` : ''}. Check the settings and Start again.`;
      default:
        if (s.dataset.imageCount < 2) return 'Waiting for images (step 1).';
        if (backend.state === 'starting') {
          return backend.progress.startsWith('Comparing')
            ? 'Waiting for the backend comparison (timing a few steps on each backend)…'
            : 'Waiting for the compute backend to start…';
        }
        if (isRunActive(phase)) return '';
        return 'Ready: check the settings, then press Start.';
    }
  });
}

export function TrainPanel() {
  const status = useTrainStatus();
  return (
    <Panel step={2} title="Train" status={status} className="train-panel">
      <BackendStatus />
      <div className="train-layout">
        <div className="train-left">
          <TrainSettings />
          <AugmentPreview />
        </div>
        <div className="train-right">
          <RunControls />
          <RunStatus />
          <ModelInfo />
          <LiveViewsToggle />
          <LiveViews>
            <LossCharts />
            <SimilarityChart />
            <SimilarityHeatmap />
            <HealthViews />
          </LiveViews>
        </div>
      </div>
      <RepresentationViews />
    </Panel>
  );
}
