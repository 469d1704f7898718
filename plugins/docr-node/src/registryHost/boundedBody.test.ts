import { readAtMost } from './boundedBody';
import { distributionError } from './errors';
import { boundedBytes } from './manifestBytes';

/** A body that never ends, with no length declared; says whether it was cancelled. */
function endlessBody() {
  const state = { cancelled: false };
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(chunk);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { response: new Response(body, { status: 500 }), state };
}

describe('bounded reads of the registry host bodies', () => {
  it('refuses an endless manifest body once past 4 MiB and cancels the rest', async () => {
    const { response, state } = endlessBody();
    await expect(boundedBytes(response, 'GET manifest')).rejects.toMatchObject({
      code: 'MANIFEST_TOO_LARGE',
    });
    expect(state.cancelled).toBe(true);
  });

  it('reads no more than 64 KiB of an error body: an endless one gives the status alone', async () => {
    const { response, state } = endlessBody();
    expect(await distributionError(response)).toEqual({
      code: 'HTTP_500',
      message: expect.any(String),
    });
    expect(state.cancelled).toBe(true);
  });

  it('reads a body within the limit whole, in its chunks', async () => {
    const bytes = await readAtMost(new Response('{"errors":[]}'), 64);
    expect(new TextDecoder().decode(bytes)).toBe('{"errors":[]}');
  });
});
