import type { Route } from '../route';
import { BackendSelect } from './BackendSelect';

const TABS: { route: Route; label: string; title: string }[] = [
  { route: 'mlp', label: 'MLP', title: 'Multilayer perceptron on MNIST digits' },
  { route: 'cnn', label: 'CNN', title: 'Convolutional network on pairs of digits, 00–99' },
  { route: 'rnn', label: 'RNN', title: 'Recurrent network on Quick Draw strokes' },
  { route: 'runs', label: 'Runs', title: 'Every training run kept in this browser, compared' },
];

export function Header({ route }: { route: Route }) {
  return (
    <header className="header">
      <a className="brand" href="#/mlp">
        <span className="brand-mark" aria-hidden="true">◆</span>
        <span className="brand-name">scratchnet</span>
        <span className="brand-tag">neural networks from scratch, in your browser</span>
      </a>
      <nav className="tabs" aria-label="Networks">
        {TABS.map((t) => (
          <a
            key={t.route}
            href={`#/${t.route}`}
            className={t.route === route ? 'tab active' : 'tab'}
            aria-current={t.route === route ? 'page' : undefined}
            title={t.title}
          >
            {t.label}
          </a>
        ))}
      </nav>
      <BackendSelect route={route} />
    </header>
  );
}
