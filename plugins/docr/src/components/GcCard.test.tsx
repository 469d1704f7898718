import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { usePermission } from '@backstage/plugin-permission-react';
import { GcCard } from './GcCard';
import { BUSY_REFRESH_MS } from '../hooks/useRegistryDetail';
import {
  fakeApi,
  render,
  responseError,
  run,
  summary,
} from './__testUtils__/cards';

// usePermission keeps its decisions in a cache shared by the tests of a file; each test decides.
jest.mock('@backstage/plugin-permission-react', () => ({
  ...jest.requireActual('@backstage/plugin-permission-react'),
  usePermission: jest.fn(),
}));
const usePermissionMock = jest.mocked(usePermission);

describe('GcCard', () => {
  beforeEach(() => {
    usePermissionMock.mockReset();
    usePermissionMock.mockReturnValue({ loading: false, allowed: true });
  });

  it('shows a spinner while loading', async () => {
    await render(<GcCard />, {
      api: fakeApi({ getRegistry: () => new Promise(() => {}) }),
    });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the backend’s error with a retry that reloads', async () => {
    const getRegistry = jest
      .fn()
      .mockRejectedValueOnce(new Error('docr backend unavailable'))
      .mockResolvedValue(summary());
    await render(<GcCard />, { api: fakeApi({ getRegistry }) });
    expect(
      await screen.findByText('Error: docr backend unavailable'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByText('Retry'));
    expect(await screen.findByText('GC has never run')).toBeInTheDocument();
    expect(getRegistry).toHaveBeenCalledTimes(2);
  });

  it('asks again by itself while the docr backend has not listed the account yet (503)', async () => {
    const notReady = await responseError(503, 'not listed yet');
    const getRegistry = jest
      .fn()
      .mockRejectedValueOnce(notReady)
      .mockResolvedValue(summary());
    jest.useFakeTimers({ advanceTimers: true });
    try {
      await render(<GcCard />, { api: fakeApi({ getRegistry }) });
      expect(await screen.findAllByText(/not listed yet/)).not.toHaveLength(0);
      jest.advanceTimersByTime(BUSY_REFRESH_MS);
      expect(await screen.findByText('GC has never run')).toBeInTheDocument();
      expect(getRegistry).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not ask again by itself after a 403: that needs the user', async () => {
    const forbidden = await responseError(403, 'docr backend unavailable');
    const getRegistry = jest.fn().mockRejectedValue(forbidden);
    jest.useFakeTimers({ advanceTimers: true });
    try {
      await render(<GcCard />, { api: fakeApi({ getRegistry }) });
      expect(
        await screen.findAllByText(/docr backend unavailable/),
      ).not.toHaveLength(0);
      jest.advanceTimersByTime(3 * BUSY_REFRESH_MS);
      expect(getRegistry).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('shows the policy, who manages it, the next window in both zones, and that GC never ran', async () => {
    await render(<GcCard />);
    expect(
      await screen.findByText('Policy managed by app-config'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/sun 03:00 for 2h \(Europe\/Berlin\)/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('next-window')).toHaveTextContent(
      'Sun 29 Nov, 03:00 GMT+1 in Europe/Berlin',
    );
    expect(screen.getByText('GC has never run')).toBeInTheDocument();
  });

  it('shows the active run and the last run’s freed bytes', async () => {
    await render(<GcCard />, {
      api: fakeApi({
        getRegistry: async () =>
          summary({
            activeRun: run({
              id: 2,
              status: 'scanning manifests',
              finishedAt: null,
            }),
            lastRun: run({}),
          }),
      }),
    });
    expect(await screen.findByText('scanning manifests')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('last-run')).getByText(/freed 3.0 GiB/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Run GC now' })).toBeDisabled();
  });

  it('runs GC now after a warning that the registry turns read-only', async () => {
    const api = fakeApi();
    const { alerts } = await render(<GcCard />, { api });
    fireEvent.click(await screen.findByRole('button', { name: 'Run GC now' }));
    expect(
      screen.getByText(
        /The registry turns read-only while garbage collection runs/,
      ),
    ).toBeInTheDocument();
    fireEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Run GC now',
      }),
    );
    await waitFor(() =>
      expect(api.startGc).toHaveBeenCalledWith({ name: 'acme-prod' }),
    );
    await waitFor(() =>
      expect(alerts.post).toHaveBeenCalledWith(
        expect.objectContaining({ severity: 'success' }),
      ),
    );
  });

  it('says so when the GC started by hand was narrowed to keep what runs', async () => {
    const reason =
      'untagged manifests and unreferenced blobs was asked; the GC frees unreferenced blobs only: untagged manifests are in use (web@sha256:1f2e…)';
    const api = fakeApi({
      startGc: jest.fn(async () =>
        run({
          id: 8,
          status: 'requested',
          trigger: 'manual',
          type: 'unreferenced blobs only',
          reason,
        }),
      ),
    });
    const { alerts } = await render(<GcCard />, { api });
    fireEvent.click(await screen.findByRole('button', { name: 'Run GC now' }));
    fireEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Run GC now',
      }),
    );
    await waitFor(() =>
      expect(alerts.post).toHaveBeenCalledWith({
        message: `Garbage collection of acme-prod started (run 8, unreferenced blobs only): ${reason}`,
        severity: 'info',
      }),
    );
  });

  it('asks for the permission on this registry, not globally', async () => {
    await render(<GcCard />);
    expect(
      await screen.findByRole('button', { name: 'Run GC now' }),
    ).toBeInTheDocument();
    expect(usePermissionMock).toHaveBeenCalledWith({
      permission: expect.objectContaining({
        name: 'docr.garbage-collection.run',
        resourceType: 'catalog-entity',
      }),
      resourceRef: 'resource:default/docr-acme-prod',
    });
  });

  it('hides the button without permission', async () => {
    usePermissionMock.mockReturnValue({ loading: false, allowed: false });
    await render(<GcCard />);
    await screen.findByText('GC has never run');
    expect(
      await screen.findByText(
        /needs the docr.garbage-collection.run permission/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Run GC now' }),
    ).not.toBeInTheDocument();
  });
});
