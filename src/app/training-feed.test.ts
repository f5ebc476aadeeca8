import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from './page-state';
import { TrainingFeed } from './training-feed';
import type { TrainProgress } from '../train/types';

const progressAt = (globalStep: number): TrainProgress => ({
  epoch: 1, epochs: 1, step: globalStep, stepsPerEpoch: 100, globalStep, elapsedMs: globalStep, etaMs: 0, examplesPerSec: 1,
});

describe('TrainingFeed', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('batches a running run’s steps into one store update a second', () => {
    const store = createAppStore();
    store.setState({ phase: 'running' });
    const feed = new TrainingFeed(store);
    let updates = 0;
    store.subscribe(() => updates++);
    for (let s = 1; s <= 50; s++) feed.queueSteps([{ step: s, epoch: 1, loss: 1 / s }], progressAt(s));
    vi.advanceTimersByTime(999);
    expect(store.getState().lossPoints).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(store.getState().lossPoints).toHaveLength(50);
    expect(store.getState().progress?.globalStep).toBe(50);
    expect(updates).toBe(1);
  });

  it('shows the steps sent before a pause at once', () => {
    const store = createAppStore();
    store.setState({ phase: 'running' });
    const feed = new TrainingFeed(store);
    feed.queueSteps([{ step: 1, epoch: 1, loss: 1 }], progressAt(1));
    store.setState({ phase: 'paused' });
    feed.queueSteps([{ step: 2, epoch: 1, loss: 0.5 }], progressAt(2));
    expect(store.getState().lossPoints.map((p) => p.step)).toEqual([1, 2]);
    expect(store.getState().progress?.globalStep).toBe(2);
  });
});
