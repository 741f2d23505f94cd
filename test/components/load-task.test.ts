import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { IDLE, LoadTask } from '../../components/base/load-task.js';

/** A host whose load depends on `source`; each load waits until the test settles it. */
class LoadHost extends LitElement {
  static override properties = { source: {} };
  source = 'a';
  readonly started: Array<{ source: string; signal: AbortSignal; settle: (value: string | typeof IDLE | Error) => void }> = [];
  readonly completed: string[] = [];
  readonly task = new LoadTask(this, {
    args: () => [this.source] as const,
    load: ([source], { signal }) =>
      new Promise<string | typeof IDLE>((resolve, reject) => {
        this.started.push({ source, signal, settle: (value) => (value instanceof Error ? reject(value) : resolve(value)) });
      }),
    onComplete: (value) => this.completed.push(value),
  });
}
customElements.define('perso-load-host', LoadHost);

describe('LoadTask', () => {
  it('loads when its inputs change, aborts the load they supersede and ignores its outcome', async () => {
    const el = await fixture<LoadHost>(html`<perso-load-host></perso-load-host>`);
    expect(el.task.status).to.equal('pending');
    el.source = 'b';
    await el.updateComplete;
    expect(el.started.map((s) => s.source)).to.deep.equal(['a', 'b']);
    expect(el.started[0]!.signal.aborted).to.equal(true);
    el.started[0]!.settle('stale');
    el.started[1]!.settle('fresh');
    await waitUntil(() => el.task.status === 'complete');
    expect([el.task.value, el.completed]).to.deep.equal(['fresh', ['fresh']]);
  });

  it('does not load again on an update with the same inputs, and run() does', async () => {
    const el = await fixture<LoadHost>(html`<perso-load-host></perso-load-host>`);
    el.requestUpdate();
    await el.updateComplete;
    expect(el.started).to.have.length(1);
    void el.task.run();
    expect(el.started).to.have.length(2);
  });

  it('says idle for nothing to load, and error with the failure', async () => {
    const el = await fixture<LoadHost>(html`<perso-load-host></perso-load-host>`);
    el.started[0]!.settle(IDLE);
    await waitUntil(() => el.task.status === 'idle');
    void el.task.run();
    const failure = new Error('down');
    el.started[1]!.settle(failure);
    await waitUntil(() => el.task.status === 'error');
    expect(el.task.error).to.equal(failure);
  });
});
