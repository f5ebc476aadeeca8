import { describe, expect, it } from 'vitest';
import { defaultRnnTrainConfig, tunedCnnTrainConfig } from '../../train/presets';
import { parseArgs } from '../args';
import { loopOverrides } from './overrides';

describe('loopOverrides', () => {
  it('reads --label-smoothing and --average, and keeps a recipe’s own values when they are not given', () => {
    const cnn = loopOverrides(parseArgs(['train', 'cnn', '--label-smoothing', '0.1', '--average', '0.999']), tunedCnnTrainConfig());
    expect(cnn.labelSmoothing).toBe(0.1);
    expect(cnn.weightAverage).toBe(0.999);
    const rnnDefaults = defaultRnnTrainConfig();
    const rnn = loopOverrides(parseArgs(['train', 'rnn']), rnnDefaults);
    expect(rnn.labelSmoothing).toBe(rnnDefaults.labelSmoothing);
    expect(loopOverrides(parseArgs(['train', 'rnn', '--label-smoothing', '0']), rnnDefaults).labelSmoothing).toBeUndefined();
  });

  it('refuses a smoothing outside [0, 1)', () => {
    expect(() => loopOverrides(parseArgs(['train', 'cnn', '--label-smoothing', '1.5']), tunedCnnTrainConfig())).toThrow(/label-smoothing/);
  });
});
