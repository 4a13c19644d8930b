import { describeStepPlan } from '../../protocol/step-memory';
import { useAppStore } from '../../store';
import { formatCount, formatParams } from '../format';
import { ENCODERS } from './labels';

/** What the worker built: encoder, parameter counts, representation size. */
export function ModelInfo() {
  const model = useAppStore((s) => s.training.model);
  const stepPlan = useAppStore((s) => s.training.stepPlan);
  if (!model) return <p className="model-info muted">Model details appear once a run has built the network.</p>;
  return (
    <dl className="model-info" data-testid="model-info">
      <div>
        <dt>Encoder</dt>
        <dd>{ENCODERS.find((e) => e.value === model.encoder)?.label ?? model.encoder}</dd>
      </div>
      <div>
        <dt>Encoder parameters</dt>
        <dd title={formatCount(model.encoderParams)}>{formatParams(model.encoderParams)}</dd>
      </div>
      <div>
        <dt>Head parameters</dt>
        <dd title={formatCount(model.headParams)}>{formatParams(model.headParams)}</dd>
      </div>
      <div>
        <dt>Representation</dt>
        <dd>{formatCount(model.representationDim)}-d</dd>
      </div>
      {stepPlan && (
        <div>
          <dt>Step</dt>
          <dd data-testid="step-plan" title={[stepPlan.reason, stepPlan.note].filter(Boolean).join(' ')}>
            {describeStepPlan(stepPlan)}
            {stepPlan.note && <span className="muted"> ({stepPlan.note})</span>}
          </dd>
        </div>
      )}
    </dl>
  );
}
