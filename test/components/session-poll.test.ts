import { expect, waitUntil } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { SessionPoll } from '../../components/client/session-poll.js';

/** The smallest host a controller needs. */
class Host implements ReactiveControllerHost {
  controllers: ReactiveController[] = [];
  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {}
  readonly updateComplete = Promise.resolve(true);
}

describe('SessionPoll', () => {
  it('checks on its interval only while active, and stops when the host disconnects', async () => {
    const host = new Host();
    let checks = 0;
    const poll = new SessionPoll(host, () => checks++, 20);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(checks).to.equal(0);

    poll.active = true;
    await waitUntil(() => checks >= 2, 'never polled', { timeout: 1000 });
    poll.active = false;
    const stoppedAt = checks;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(checks).to.equal(stoppedAt);

    poll.active = true;
    host.controllers[0]!.hostDisconnected!();
    const disconnectedAt = checks;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(checks).to.equal(disconnectedAt);
    host.controllers[0]!.hostConnected!();
    await waitUntil(() => checks > disconnectedAt, 'did not resume on reconnect', { timeout: 1000 });
    poll.active = false;
  });
});
