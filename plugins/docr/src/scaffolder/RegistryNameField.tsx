import { useEffect, useState } from 'react';
import { TextField } from '@material-ui/core';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { useApi } from '@backstage/core-plugin-api';
import { registryNameProblem } from '@backstage-docr/plugin-docr-common';
import { docrApiRef } from '../api';

/** Wait this long after the last key before asking whether the name is free. */
export const NAME_CHECK_DEBOUNCE_MS = 400;

type Availability =
  | { state: 'idle' | 'checking' }
  | { state: 'available' | 'taken'; name: string }
  | { state: 'unknown'; message: string };

function helperText(availability: Availability, problem?: string) {
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
  const api = useApi(docrApiRef);
  const [availability, setAvailability] = useState<Availability>({
    state: 'idle',
  });
  const value = formData ?? '';
  const problem = value ? registryNameProblem(value) : undefined;

  useEffect(() => {
    if (!value || problem) {
      setAvailability({ state: 'idle' });
      return undefined;
    }
    let current = true;
    setAvailability({ state: 'checking' });
    const timer = setTimeout(() => {
      api.checkRegistryName(value).then(
        result =>
          current &&
          setAvailability({
            state: result.available ? 'available' : 'taken',
            name: result.name,
          }),
        (error: Error) =>
          current &&
          setAvailability({ state: 'unknown', message: error.message }),
      );
    }, NAME_CHECK_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, value, problem]);

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
