// The global stylesheet first: each panel's own rules (imported by its component) come after it.
import './ui/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectWorker } from './store';
import { App } from './ui/App';

connectWorker();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
