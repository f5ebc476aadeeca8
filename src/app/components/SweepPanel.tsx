import { useState } from 'react';
import { useAppState } from '../context';
import { usePlayground, useSweepState } from '../playground-context';
import { MAX_SWEEP_RUNS, parseTrainLimit, planSweep, SWEEP_PARAMS, type SweepAxis, type SweepParam } from '../sweep';
import { Field } from './HyperPanel';
import { Panel } from './Panel';

function ParamSelect(props: { value: SweepParam | ''; allowNone: boolean; testId: string; disabled: boolean; onChange(v: SweepParam | ''): void }) {
  return (
    <select data-testid={props.testId} value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.target.value as SweepParam | '')}>
      {props.allowNone && <option value="">— none —</option>}
      {SWEEP_PARAMS.map((p) => <option key={p.param} value={p.param}>{p.label}</option>)}
    </select>
  );
}

/** One or two hyperparameters, their values, the runs queued one after another (results in Runs). */
export function SweepPanel() {
  const { sweep } = usePlayground();
  const form = useAppState((s) => s.pages.mlp.form);
  const pageIdle = useAppState((s) => s.phase === 'idle' && s.datasetId !== null && s.load === null);
  const phase = useSweepState((s) => s.phase);
  const index = useSweepState((s) => s.index);
  const total = useSweepState((s) => s.total);
  const label = useSweepState((s) => s.label);
  const message = useSweepState((s) => s.message);
  const [param1, setParam1] = useState<SweepParam | ''>('lr');
  const [values1, setValues1] = useState('0.01, 0.001');
  const [param2, setParam2] = useState<SweepParam | ''>('');
  const [values2, setValues2] = useState('');
  const [limit, setLimit] = useState('');
  const running = phase !== 'idle';

  const axes: SweepAxis[] = [];
  if (param1) axes.push({ param: param1, values: values1 });
  if (param2) axes.push({ param: param2, values: values2 });
  const plan = planSweep(form, axes);
  const parsedLimit = parseTrainLimit(limit);
  const problem = !plan.ok ? plan.error : !parsedLimit.ok ? parsedLimit.error : null;
  const example = (p: SweepParam | '') => SWEEP_PARAMS.find((x) => x.param === p)?.example ?? '';

  return (
    <Panel title="Sweep" className="sweep-panel" aside={<a id="sweep" href="#/runs" className="small">results in Runs →</a>}>
      <p className="muted small">Vary one or two settings; the rest come from the form above. Each run lands in the Runs view.</p>
      <div className="field-row">
        <Field label="Vary"><ParamSelect value={param1} allowNone={false} testId="sweep-param-1" disabled={running} onChange={setParam1} /></Field>
        <Field label="Values (comma-separated)">
          <input data-testid="sweep-values-1" value={values1} placeholder={example(param1)} disabled={running} onChange={(e) => setValues1(e.target.value)} />
        </Field>
      </div>
      <div className="field-row">
        <Field label="and"><ParamSelect value={param2} allowNone testId="sweep-param-2" disabled={running} onChange={setParam2} /></Field>
        <Field label="Values">
          <input data-testid="sweep-values-2" value={values2} placeholder={example(param2)} disabled={running || !param2} onChange={(e) => setValues2(e.target.value)} />
        </Field>
      </div>
      <Field label="Examples per run" hint="Train on only the first N examples of the train split (quick comparisons); empty = all">
        <input data-testid="sweep-limit" value={limit} inputMode="numeric" placeholder="all" disabled={running} onChange={(e) => setLimit(e.target.value)} />
      </Field>
      {problem && !running && <p className="error-text small" data-testid="sweep-problem">{problem}</p>}
      <div className="buttons">
        <button
          type="button"
          data-testid="sweep-run"
          disabled={running || !pageIdle || problem !== null}
          onClick={() => parsedLimit.ok && void sweep.run(axes, parsedLimit.value)}
        >
          Run sweep{plan.ok ? ` (${plan.value.length} run${plan.value.length === 1 ? '' : 's'})` : ''}
        </button>
        <button type="button" data-testid="sweep-stop" disabled={phase !== 'running'} onClick={() => sweep.stop()}>Stop sweep</button>
      </div>
      {running && <p data-testid="sweep-progress">sweep {index}/{total} · {label}{phase === 'stopping' ? ' · stopping…' : ''}</p>}
      {!running && message && (
        <p className={message.kind === 'error' ? 'error-text small' : 'small'} data-testid="sweep-message">{message.text}</p>
      )}
      <p className="muted small">At most {MAX_SWEEP_RUNS} runs per sweep. Hidden sizes: “16, 128, 256-128” (a dash joins layers).</p>
    </Panel>
  );
}
