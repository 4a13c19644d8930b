import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectWorker } from './store';
import { App } from './ui/App';
import './ui/styles.css';

connectWorker();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
