import { TextField } from '@material-ui/core';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { registryNameProblem } from '@backstage-docr/plugin-docr-common';
import { docrApiRef } from '../api';
import {
  NameAvailability,
  useRegistryNameAvailability,
} from '../hooks/useRegistryNameAvailability';

function helperText(availability: NameAvailability, problem?: string) {
  if (problem) return problem;
  switch (availability.state) {
    case 'checking':
      return 'Checking with DigitalOcean…';
    case 'available':
      return `${availability.name} is free`;
    case 'taken':
      return `${availability.name} is taken (names are unique across DigitalOcean)`;
    case 'unknown':
      return `Could not check the name: ${availability.message}`;
    default:
      return 'Lowercase letters, digits and "-", at most 63 characters';
  }
}

/** A registry name, checked for format at once and with DigitalOcean as the user types. */
export function RegistryNameField(props: FieldExtensionComponentProps<string>) {
  const { formData, onChange, rawErrors, required, schema, idSchema } = props;
  const value = formData ?? '';
  const problem = value ? registryNameProblem(value) : undefined;
  const availability = useRegistryNameAvailability(value, problem);

  return (
    <TextField
      id={idSchema?.$id}
      label={schema.title ?? 'Registry name'}
      value={value}
      required={required}
      onChange={e => onChange(e.target.value)}
      error={
        Boolean(problem) ||
        availability.state === 'taken' ||
        Boolean(rawErrors?.length)
      }
      helperText={helperText(availability, problem) ?? schema.description}
      inputProps={{ 'data-testid': 'docr-registry-name' }}
      margin="normal"
      fullWidth
    />
  );
}

/** Blocks the step on a malformed or taken name (asked again on submit: the answer is cached). */
export const validateRegistryName: CustomFieldValidator<string> = async (
  value,
  validation,
  { apiHolder },
) => {
  if (!value) return;
  const problem = registryNameProblem(value);
  if (problem) {
    validation.addError(problem);
    return;
  }
  const api = apiHolder.get(docrApiRef);
  if (!api) return;
  try {
    const result = await api.checkRegistryName(value);
    if (!result.available) {
      validation.addError(
        `${value} is taken (names are unique across DigitalOcean)`,
      );
    }
  } catch {
    // The action checks again before creating anything; an unreachable check does not block.
  }
};
