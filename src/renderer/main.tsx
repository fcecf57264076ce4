import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi } from './api/client.ts';
import { App } from './App.tsx';
import './styles.css';
import './styles/views.css';
import './styles/operations.css';

// Resolve the API first: in the browser preview this reads the token and clears it from the address bar.
getApi();

const root = document.getElementById('root');
if (!root) throw new Error('missing #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
