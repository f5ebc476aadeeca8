import { describe, expect, it } from 'vitest';
import { RequestCoalescer } from './request-coalescer';

/** A send whose requests the test answers one by one, recording what each was about. */
function manualSend() {
  let drawing = 0;
  const sent: { drawing: number; isCurrent: () => boolean; answer: () => void }[] = [];
  const send = (isCurrent: () => boolean) => {
    if (drawing === 0) return null;
    let answer = () => {};
    const done = new Promise<void>((resolve) => (answer = resolve));
    sent.push({ drawing, isCurrent, answer });
    return done;
  };
  return { sent, send, draw: (n: number) => void (drawing = n) };
}

/** Lets every pending promise callback run. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('RequestCoalescer', () => {
  it('sends nothing for an empty drawing', async () => {
    const { sent, send } = manualSend();
    await new RequestCoalescer(send).request();
    expect(sent).toEqual([]);
  });

  it('folds requests made while one runs into one, sent with the latest drawing when it returns', async () => {
    const { sent, send, draw } = manualSend();
    const requests = new RequestCoalescer(send);
    draw(1);
    const first = requests.request();
    for (const n of [2, 3, 4]) {
      draw(n);
      void requests.request();
    }
    expect(sent.map((s) => s.drawing)).toEqual([1]);
    sent[0].answer();
    await settled();
    expect(sent.map((s) => s.drawing)).toEqual([1, 4]);
    sent[1].answer();
    await first;
    expect(sent.length).toBe(2);
  });

  it('marks the answer of a request running when the drawing is erased as no longer current', async () => {
    const { sent, send, draw } = manualSend();
    const requests = new RequestCoalescer(send);
    draw(1);
    const running = requests.request();
    requests.invalidate();
    expect(sent[0].isCurrent()).toBe(false);
    sent[0].answer();
    await running;
    void requests.request();
    expect(sent[1].isCurrent()).toBe(true);
  });

  it('frees the slot when a request fails, so the next drawing is still sent', async () => {
    const requests = new RequestCoalescer(() => Promise.reject(new Error('worker gone')));
    await expect(requests.request()).rejects.toThrow(/worker gone/);
    await expect(requests.request()).rejects.toThrow(/worker gone/);
  });
});
