import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { docrApiRef } from '../api';
import { fakeApi, summary } from '../components/__testUtils__/cards';
import { useRegistryDetail } from './useRegistryDetail';

const acmeProd = { name: 'acme-prod' };

/** Two hooks on the same registry (the registry and GC cards); the second mounts on `second`. */
function renderTwo(api = fakeApi(), second = true) {
  const hook = renderHook(
    (props: { second: boolean }) => [
      useRegistryDetail(acmeProd),
      useRegistryDetail(props.second ? acmeProd : undefined),
    ],
    {
      initialProps: { second },
      wrapper: ({ children }) => (
        <TestApiProvider apis={[[docrApiRef, api]]}>{children}</TestApiProvider>
      ),
    },
  );
  return { ...hook, api };
}

describe('useRegistryDetail', () => {
  it('shares one request between the hooks that ask for the same registry at once', async () => {
    const { result, api } = renderTwo();
    await waitFor(() => expect(result.current[1].value).toEqual(summary()));
    expect(result.current[0].value).toEqual(summary());
    expect(api.getRegistry).toHaveBeenCalledTimes(1);
  });

  it('asks anew on retry, not joining a request that may predate a change', async () => {
    const { result, api, rerender } = renderTwo(fakeApi(), false);
    await waitFor(() => expect(result.current[0].value).toEqual(summary()));
    // The other card's request, out since before the change (say, a GC started).
    jest.mocked(api.getRegistry).mockReturnValue(new Promise(() => {}));
    rerender({ second: true });
    expect(api.getRegistry).toHaveBeenCalledTimes(2);
    const after = summary({ storageBytes: 1 });
    jest.mocked(api.getRegistry).mockResolvedValue(after);
    act(() => result.current[0].retry());
    await waitFor(() => expect(result.current[0].value).toEqual(after));
    expect(api.getRegistry).toHaveBeenCalledTimes(3);
  });
});
