import { useState } from 'react';
import { Box, Button, Typography } from '@material-ui/core';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  docrPolicyUpdatePermission,
  type RetentionRule,
} from '@backstage-docr/plugin-docr-common';
import type { DocrRegistryRef } from '../api';
import { useRetentionPreview } from '../hooks/useRetentionPreview';
import { formatBytes, formatTime } from './format';
import { RetentionRulesDialog } from './RetentionRulesDialog';
import { RetentionTagsTable, retentionRows } from './RetentionTagsTable';

const SOURCE: Record<string, string> = {
  config: 'managed by app-config',
  api: 'set through the portal',
  default: 'the portal’s default',
};

/** "web, api/*: keep the 10 newest, delete older than P30D, protect latest, semantic versions" */
export function describeRule(rule: RetentionRule): string {
  const parts = [
    rule.keepNewest !== undefined && `keep the ${rule.keepNewest} newest`,
    rule.deleteOlderThan && `delete older than ${rule.deleteOlderThan}`,
    rule.protect?.length && `protect ${rule.protect.join(', ')}`,
    rule.protectSemver && 'protect semantic versions',
    rule.untaggedManifestsOlderThan &&
      `untagged manifests older than ${rule.untaggedManifestsOlderThan}`,
  ].filter(Boolean);
  const scope = rule.repositories?.length
    ? rule.repositories.join(', ')
    : 'every repository';
  return `${scope}: ${parts.join('; ')}`;
}

/** "Edit rules" for those allowed docr.policy.update on the registry's entity. */
function EditRules(props: {
  registry: DocrRegistryRef;
  entityRef: string;
  rules: RetentionRule[];
  source: string;
  onSaved: () => void;
}) {
  const { allowed } = usePermission({
    permission: docrPolicyUpdatePermission,
    resourceRef: props.entityRef,
  });
  const [open, setOpen] = useState(false);
  let action;
  if (props.source === 'config') {
    action = (
      <Typography variant="caption" color="textSecondary">
        The rules are managed by app-config (docr.garbageCollection): change
        them there.
      </Typography>
    );
  } else if (!allowed) {
    action = (
      <Typography variant="caption" color="textSecondary">
        Changing the rules needs the docr.policy.update permission on this
        registry.
      </Typography>
    );
  } else {
    action = (
      <Button variant="outlined" size="small" onClick={() => setOpen(true)}>
        {props.rules.length ? 'Edit rules' : 'Add rules'}
      </Button>
    );
  }
  return (
    <Box mt={1} mb={1}>
      {action}
      {open && (
        <RetentionRulesDialog
          registry={props.registry}
          rules={props.rules}
          open={open}
          onClose={() => setOpen(false)}
          onSaved={props.onSaved}
        />
      )}
    </Box>
  );
}

/**
 * What the preview knows of the images in use: kept with their closures; nothing deleted while
 * what runs from the registry cannot be read; not known before the backend first read it.
 */
function InUseSummary(props: { heldBack?: string; inUseReadAt?: string }) {
  if (props.heldBack) {
    return (
      <Typography
        variant="body2"
        color="error"
        data-testid="retention-held-back"
      >
        Nothing would be deleted: {props.heldBack}.
      </Typography>
    );
  }
  return (
    <Typography variant="caption" color="textSecondary" component="p">
      {props.inUseReadAt
        ? `Images running on DOKS or deployed by App Platform (read ${formatTime(
            props.inUseReadAt,
          )}) are kept, with their previous releases.`
        : 'What runs on DOKS and App Platform is not read yet: the images in use are not known to this preview.'}
    </Typography>
  );
}

/** The card while the preview loads, or its error (a registry being listed says so). */
function pendingView(preview: ReturnType<typeof useRetentionPreview>) {
  if (preview.loading && !preview.value) {
    return (
      <InfoCard title="Retention">
        <Progress />
      </InfoCard>
    );
  }
  if (preview.error) {
    return (
      <InfoCard title="Retention">
        {preview.listing ? (
          <Typography variant="body2">
            Listing the registry’s tags and manifests from DigitalOcean…
          </Typography>
        ) : (
          <ResponseErrorPanel error={preview.error} />
        )}
      </InfoCard>
    );
  }
  return undefined;
}

/** Repositories whose images could not be read: nothing of them is deleted. */
function UnreadableRepositories(props: {
  repositories: NonNullable<
    ReturnType<typeof useRetentionPreview>['value']
  >['repositories'];
  heldBack?: string;
}) {
  return (
    <>
      {props.repositories
        .filter(
          repository =>
            repository.unreadable && repository.unreadable !== props.heldBack,
        )
        .map(repository => (
          <Typography key={repository.name} variant="body2" color="error">
            {repository.name}: its images could not be read (
            {repository.unreadable}); nothing of it is deleted.
          </Typography>
        ))}
    </>
  );
}

/** Loads the next page of repositories. */
function MoreRepositories(props: {
  preview: ReturnType<typeof useRetentionPreview>;
}) {
  const { preview } = props;
  const value = preview.value;
  if (!preview.hasMore || !value) return null;
  return (
    <Box mt={2}>
      <Button
        variant="outlined"
        disabled={preview.loadingMore}
        onClick={preview.loadMore}
        data-testid="retention-more"
      >
        More repositories ({value.repositories.length} of{' '}
        {value.totalRepositories} shown)
      </Button>
    </Box>
  );
}

/**
 * What the registry's retention rules would delete now and what they keep, with what goes with
 * each tag (platforms, attachments), and why; nothing is deleted from here.
 * The estimate is what a garbage collection would free afterwards (blobs nothing kept uses).
 */
export function RetentionPreviewCard(props: {
  registry: DocrRegistryRef;
  /** The registry's catalog entity: those allowed to change its policy may edit the rules. */
  entityRef?: string;
}) {
  const preview = useRetentionPreview(props.registry);
  const pending = pendingView(preview);
  if (pending) return pending;
  const value = preview.value!;
  const edit = props.entityRef && (
    <EditRules
      registry={props.registry}
      entityRef={props.entityRef}
      rules={value.rules}
      source={value.source}
      onSaved={preview.retry}
    />
  );
  if (!value.rules.length) {
    return (
      <InfoCard title="Retention">
        <Typography variant="body2" data-testid="retention-summary">
          No retention rules: every tag is kept. Rules are part of the
          registry’s GC policy.
        </Typography>
        {edit}
      </InfoCard>
    );
  }
  const deleted = retentionRows(value.repositories, 'delete');
  const kept = retentionRows(value.repositories, 'keep');
  return (
    <InfoCard
      title="Retention"
      subheader={`Rules ${SOURCE[value.source] ?? value.source}; ${
        value.deletesInWindows
          ? 'what they select is deleted in the registry’s GC windows, before the garbage collection'
          : 'only a preview: this portal deletes no tag (docr.tagRetention.enabled is off)'
      }`}
    >
      {value.rules.map((rule, i) => (
        <Typography key={i} variant="body2">
          <strong>Rule {i + 1}:</strong> {describeRule(rule)}
        </Typography>
      ))}
      {edit}
      <Typography variant="body2" data-testid="retention-summary">
        Would delete {value.tagsToDelete} tags and keep {value.tagsToKeep}; a
        garbage collection afterwards frees at least{' '}
        {formatBytes(value.estimatedFreedBytes)}.
      </Typography>
      <InUseSummary heldBack={value.heldBack} inUseReadAt={value.inUseReadAt} />
      <UnreadableRepositories
        repositories={value.repositories}
        heldBack={value.heldBack}
      />
      {deleted.length > 0 && (
        <RetentionTagsTable
          title="Tags the rules would delete"
          rows={deleted}
        />
      )}
      {kept.length > 0 && (
        <Box mt={2}>
          <RetentionTagsTable title="Tags kept, and why" rows={kept} />
        </Box>
      )}
      <MoreRepositories preview={preview} />
      {preview.moreError && <ResponseErrorPanel error={preview.moreError} />}
    </InfoCard>
  );
}
