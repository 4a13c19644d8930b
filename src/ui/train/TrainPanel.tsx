import { settingsLocked, useAppStore } from '../../store';
import { Panel } from '../common/Panel';
import { BackendChooser } from './BackendStatus';
import { TrainSettings } from './TrainSettings';
import './train.css';

/** Step 2: the run's settings (a simple set, the augmentation with its preview, Advanced) and the backend. */
export function TrainPanel() {
  const locked = useAppStore(settingsLocked);
  return (
    <Panel
      step={2}
      title="Train"
      status={
        locked
          ? 'Settings are fixed while a run is active; augmentation still applies at once.'
          : 'The defaults work: press Start above, or change the basics first.'
      }
      className="train-panel"
    >
      <TrainSettings />
      <BackendChooser />
    </Panel>
  );
}
