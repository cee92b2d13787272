import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { connectBackend } from './api/backend.ts';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
try {
  const backend = connectBackend();
  root.render(
    <StrictMode>
      <App backend={backend} />
    </StrictMode>,
  );
} catch (e) {
  root.render(<p className="error">{(e as Error).message}</p>);
}
