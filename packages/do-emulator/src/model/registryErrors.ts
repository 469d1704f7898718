/**
 * An error of the registry host (OCI Distribution), answered in the distribution spec's shape
 * `{"errors":[{"code","message","detail"}]}`. The DigitalOcean API's errors are `ApiError`s.
 */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly code: DistributionErrorCode,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** The error codes of the OCI Distribution Specification (and distribution's extras). */
export type DistributionErrorCode =
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'BLOB_UPLOAD_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'NAME_INVALID'
  | 'NAME_UNKNOWN'
  | 'SIZE_INVALID'
  | 'RANGE_INVALID'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'UNSUPPORTED'
  | 'TOOMANYREQUESTS';

export const manifestUnknown = (reference: string) =>
  new RegistryError(404, 'MANIFEST_UNKNOWN', 'manifest unknown', {
    reference,
  });

export const blobUnknown = (digest: string, message = 'blob unknown') =>
  new RegistryError(404, 'BLOB_UNKNOWN', message, { digest });

export const manifestInvalid = (message: string) =>
  new RegistryError(400, 'MANIFEST_INVALID', `manifest invalid: ${message}`);

export const digestInvalid = (message: string) =>
  new RegistryError(400, 'DIGEST_INVALID', message);
