import { type ComponentType, useEffect, useState } from 'react';
import { useAppStore } from '../../store';
import { EmbeddingMap } from '../embedding-map/EmbeddingMap';
import { EvaluationViews } from '../evaluation/EvaluationViews';
import { LiveViews, LiveViewsToggle } from '../evaluation/LiveViews';
import { FineTunePanel } from '../fine-tune/FineTunePanel';
import { HealthViews } from '../health/HealthViews';
import { LossCharts } from '../train/LossCharts';
import { ModelInfo } from '../train/ModelInfo';
import { SimilarityChart } from '../train/SimilarityChart';
import { SimilarityHeatmap } from '../train/SimilarityHeatmap';
import { Tabs } from './Tabs';

/**
 * The live views, one tab each; a panel joins a tab by being added to its `panels` (one line). `tools` are
 * panels that are not live views (a person works in them), so "Show live views" does not hide them.
 */
const LIVE_TABS: readonly {
  id: string;
  label: string;
  panels: readonly ComponentType[];
  tools?: readonly ComponentType[];
}[] = [
  { id: 'training', label: 'Training', panels: [LossCharts, SimilarityChart, SimilarityHeatmap, ModelInfo] },
  { id: 'health', label: 'Representation health', panels: [HealthViews] },
  { id: 'map', label: 'Map and neighbours', panels: [EmbeddingMap] },
  { id: 'evaluation', label: 'Evaluation', panels: [EvaluationViews], tools: [FineTunePanel] },
];

const TABS = LIVE_TABS.map(({ id, label, panels, tools = [] }) => ({
  id,
  label,
  content: (
    <>
      <LiveViews>
        {panels.map((Panel) => (
          <Panel key={Panel.name} />
        ))}
      </LiveViews>
      {tools.map((Tool) => (
        <Tool key={Tool.name} />
      ))}
    </>
  ),
}));

/** The run's live views as tabs, with the toggle that hides them all; a new search opens the map's tab. */
export function LiveTabs() {
  const [tab, setTab] = useState<string>('training');
  // A search by image (a drop anywhere, a grid click, a chosen file) shows its answer: the map's tab.
  const query = useAppStore((s) => s.evaluation.search.query);
  useEffect(() => {
    if (query) setTab('map');
  }, [query]);
  return (
    <section className="live-tabs panel" aria-label="Live views">
      <LiveViewsToggle />
      <Tabs label="Live views" tabs={TABS} selected={tab} onSelect={setTab} />
    </section>
  );
}
