import { useContext } from 'react';
import { Header } from './components/Header';
import { StatusBar } from './components/StatusBar';
import { CnnPage } from './pages/CnnPage';
import { MlpPage } from './pages/MlpPage';
import { RnnPage } from './pages/RnnPage';
import { RunsPage } from './pages/RunsPage';
import { AppContext, useAppState, type AppServices } from './context';
import { useBackendState } from './backend-context';
import { useRoute, type Route } from './route';

function Page({ route }: { route: Route }) {
  if (route === 'mlp') return <MlpPage />;
  if (route === 'cnn') return <CnnPage />;
  if (route === 'runs') return <RunsPage />;
  return <RnnPage />;
}

function Shell({ route }: { route: Route }) {
  // The kernels switch for every page at once: the shared choice's label wins over the page's start-up one.
  const chosen = useBackendState((s) => s.label);
  const startup = useAppState((s) => s.kernels);
  const kernels = chosen ?? startup;
  return (
    <div className="app">
      <Header route={route} />
      <StatusBar />
      <main className="page" key={route}>
        <Page route={route} />
      </main>
      <footer className="footer">
        Every number here is computed in your browser by scratchnet’s own kernels
        {kernels && <span data-testid="kernels"> ({kernels})</span>} — no server, no ML library.
      </footer>
    </div>
  );
}

/**
 * `pages`: a page with its own store and controller (the CNN's); the status line and the rest of
 * the shell then show that page's state. Other routes use the surrounding AppContext.
 */
export function App({ pages = {} }: { pages?: Partial<Record<Route, AppServices>> }) {
  const route = useRoute();
  const outer = useContext(AppContext);
  return (
    <AppContext.Provider value={pages[route] ?? outer}>
      <Shell route={route} />
    </AppContext.Provider>
  );
}
