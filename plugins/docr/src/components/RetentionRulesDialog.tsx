import { useState } from 'react';
import {
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Grid,
  TextField,
  Typography,
} from '@material-ui/core';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { toError } from '@backstage/errors';
import type { RetentionRule } from '@backstage-docr/plugin-docr-common';
import { DocrRegistryRef, docrApiRef } from '../api';

/** A rule as the form holds it: lists as comma-separated text, numbers as text. */
interface RuleForm {
  repositories: string;
  keepNewest: string;
  deleteOlderThan: string;
  protect: string;
  protectSemver: boolean;
  untaggedManifestsOlderThan: string;
}

const list = (items: string[] | undefined) => (items ?? []).join(', ');
const items = (text: string) =>
  text
    .split(',')
    .map(item => item.trim())
    .filter(Boolean);

export function toForm(rule: RetentionRule): RuleForm {
  return {
    repositories: list(rule.repositories),
    keepNewest: rule.keepNewest === undefined ? '' : String(rule.keepNewest),
    deleteOlderThan: rule.deleteOlderThan ?? '',
    protect: list(rule.protect),
    protectSemver: Boolean(rule.protectSemver),
    untaggedManifestsOlderThan: rule.untaggedManifestsOlderThan ?? '',
  };
}

/** The rule the form says; what it leaves empty is left out (the backend validates the rest). */
export function fromForm(form: RuleForm): RetentionRule {
  const rule: RetentionRule = {};
  if (items(form.repositories).length)
    rule.repositories = items(form.repositories);
  if (form.keepNewest.trim() !== '')
    rule.keepNewest = Number(form.keepNewest.trim());
  if (form.deleteOlderThan.trim())
    rule.deleteOlderThan = form.deleteOlderThan.trim();
  if (items(form.protect).length) rule.protect = items(form.protect);
  if (form.protectSemver) rule.protectSemver = true;
  if (form.untaggedManifestsOlderThan.trim())
    rule.untaggedManifestsOlderThan = form.untaggedManifestsOlderThan.trim();
  return rule;
}

const NEW_RULE: RuleForm = toForm({
  keepNewest: 20,
  deleteOlderThan: 'P30D',
  protect: ['latest'],
  protectSemver: true,
});

function RuleFields(props: {
  index: number;
  form: RuleForm;
  onChange: (form: RuleForm) => void;
  onRemove: () => void;
}) {
  const { index, form, onChange } = props;
  const text = (key: keyof RuleForm, label: string, helperText: string) => (
    <TextField
      label={label}
      value={form[key] as string}
      onChange={e => onChange({ ...form, [key]: e.target.value })}
      helperText={helperText}
      inputProps={{ 'data-testid': `rule-${index}-${key}` }}
      fullWidth
      margin="dense"
    />
  );
  return (
    <Box mb={2} data-testid={`rule-${index}`}>
      <Typography variant="subtitle2">Rule {index + 1}</Typography>
      <Grid container spacing={2}>
        <Grid item xs={12} sm={6}>
          {text(
            'repositories',
            'Repositories',
            'Globs, comma-separated (web, api/*); empty: every repository',
          )}
        </Grid>
        <Grid item xs={12} sm={3}>
          {text('keepNewest', 'Keep newest', 'Tags per repository')}
        </Grid>
        <Grid item xs={12} sm={3}>
          {text('deleteOlderThan', 'Delete older than', 'ISO 8601, e.g. P30D')}
        </Grid>
        <Grid item xs={12} sm={6}>
          {text('protect', 'Always keep', 'Tag globs: latest, prod-*')}
        </Grid>
        <Grid item xs={12} sm={3}>
          {text(
            'untaggedManifestsOlderThan',
            'Untagged manifests older than',
            'ISO 8601, e.g. P7D',
          )}
        </Grid>
        <Grid item xs={12} sm={3}>
          <FormControlLabel
            control={
              <Checkbox
                checked={form.protectSemver}
                onChange={e =>
                  onChange({ ...form, protectSemver: e.target.checked })
                }
              />
            }
            label="Keep semantic versions"
          />
        </Grid>
      </Grid>
      <Button size="small" onClick={props.onRemove}>
        Remove rule {index + 1}
      </Button>
    </Box>
  );
}

/**
 * Stores the rules in the registry's policy as the backend has it now (the rest kept), then
 * says so and closes; a refusal stays in the dialog as its message.
 */
function useSaveRules(props: {
  registry: DocrRegistryRef;
  onClose: () => void;
  onSaved: () => void;
}) {
  const api = useApi(docrApiRef);
  const alertApi = useApi(alertApiRef);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();

  async function save(forms: RuleForm[]) {
    setSaving(true);
    setError(undefined);
    try {
      const { policy } = await api.getPolicy(props.registry);
      await api.putPolicy(props.registry, {
        ...policy,
        retention: { rules: forms.map(fromForm) },
      });
      alertApi.post({
        message: `Saved the retention rules of ${props.registry.name}`,
        severity: 'success',
        display: 'transient',
      });
      props.onSaved();
      props.onClose();
    } catch (e) {
      setError(toError(e).message);
    } finally {
      setSaving(false);
    }
  }

  return { save, saving, error };
}

/**
 * Edits the registry's retention rules: the rest of its GC policy is kept as the backend has it.
 * The backend validates (400 naming the field) and checks docr.policy.update on the registry.
 */
export function RetentionRulesDialog(props: {
  registry: DocrRegistryRef;
  rules: RetentionRule[];
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [forms, setForms] = useState<RuleForm[]>(() => props.rules.map(toForm));
  const { save, saving, error } = useSaveRules(props);

  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="docr-retention-rules-title"
    >
      <DialogTitle id="docr-retention-rules-title">
        Retention rules of {props.registry.name}
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          A tag is deleted when a rule selects it (older than its age and not
          among its newest) and no rule keeps it. Deletions happen in the
          registry’s GC windows, before the garbage collection.
        </Typography>
        {forms.map((form, i) => (
          <RuleFields
            key={i}
            index={i}
            form={form}
            onChange={next =>
              setForms(forms.map((f, j) => (j === i ? next : f)))
            }
            onRemove={() => setForms(forms.filter((_, j) => j !== i))}
          />
        ))}
        <Button onClick={() => setForms([...forms, NEW_RULE])}>
          Add a rule
        </Button>
        {error && (
          <Typography
            color="error"
            variant="body2"
            role="alert"
            data-testid="rules-error"
          >
            {error}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={saving}
          onClick={() => save(forms)}
        >
          Save rules
        </Button>
      </DialogActions>
    </Dialog>
  );
}
