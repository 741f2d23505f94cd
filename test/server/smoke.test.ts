import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers.js';

describe('harness', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('signs up, verifies and reads the session', async () => {
    h = createHarness();
    const user = await h.signUpVerified('ada@example.com');
    const session = await h.call('GET', '/api/session');
    expect(session.status).toBe(200);
    expect(await session.json()).toEqual({ user: expect.objectContaining({ id: user.id, email: 'ada@example.com', emailVerified: true }) });
  });
});
