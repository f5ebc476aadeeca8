import { Header } from './components/Header';
import { StatusBar } from './components/StatusBar';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { MlpPage } from './pages/MlpPage';
import { useAppState } from './context';
import { useRoute } from './route';

export function App() {
  const route = useRoute();
  const kernels = useAppState((s) => s.kernels);
  return (
    <div className="app">
      <Header route={route} />
      <StatusBar />
      <main className="page" key={route}>
        {route === 'mlp' ? <MlpPage /> : <ComingSoonPage route={route} />}
      </main>
      <footer className="footer">
        Every number here is computed in your browser by scratchnet’s own kernels
        {kernels && <span data-testid="kernels"> ({kernels})</span>} — no server, no ML library.
      </footer>
    </div>
  );
}
