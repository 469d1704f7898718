import { toError } from '@backstage/errors';
import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Typography,
} from '@material-ui/core';
import {
  type AlertMessage,
  alertApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  type GcRunView,
  docrGarbageCollectionRunPermission,
} from '@backstage-docr/plugin-docr-common';
import { DocrRegistryRef, docrApiRef } from '../api';

/** What the page says of a GC started by hand. */
function startedAlert(name: string, run: GcRunView): AlertMessage {
  // A reason at the start says the GC was narrowed (what runs is kept): worth reading.
  return run.reason
    ? {
        message: `Garbage collection of ${name} started (run ${run.id}, ${run.type}): ${run.reason}`,
        severity: 'info',
      }
    : {
        message: `Garbage collection of ${name} started (run ${run.id})`,
        severity: 'success',
        display: 'transient',
      };
}

/**
 * "Run GC now" for those the permission policy allows on this registry's entity, after a
 * confirmation that says what it costs: the registry is read-only while GC runs.
 */
export function RunGcNowButton(props: {
  registry: DocrRegistryRef;
  running: boolean;
  onSettled: () => void;
}) {
  const { registry, running, onSettled } = props;
  const { name } = registry;
  const { entity } = useEntity();
  const api = useApi(docrApiRef);
  const alertApi = useApi(alertApiRef);
  const { allowed } = usePermission({
    permission: docrGarbageCollectionRunPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const [confirming, setConfirming] = useState(false);
  const [starting, setStarting] = useState(false);

  if (!allowed) {
    return (
      <Typography variant="caption" color="textSecondary">
        Running GC by hand needs the docr.garbage-collection.run permission.
      </Typography>
    );
  }

  async function runNow() {
    setConfirming(false);
    setStarting(true);
    try {
      const run = await api.startGc(registry);
      alertApi.post(startedAlert(name, run));
    } catch (error) {
      alertApi.post({
        message: `Could not start garbage collection: ${toError(error).message}`,
        severity: 'error',
      });
    } finally {
      setStarting(false);
      onSettled();
    }
  }

  return (
    <>
      <Button
        variant="contained"
        color="primary"
        disabled={running || starting}
        onClick={() => setConfirming(true)}
      >
        Run GC now
      </Button>
      <Dialog open={confirming} onClose={() => setConfirming(false)}>
        <DialogTitle>Run garbage collection of {name} now?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            The registry turns read-only while garbage collection runs: every
            push fails until it ends, which can take minutes. Run it now,
            outside the registry’s windows?
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
          <Button color="primary" onClick={runNow}>
            Run GC now
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
