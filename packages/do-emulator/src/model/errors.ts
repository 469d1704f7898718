/**
 * An error the emulator answers with, in DigitalOcean's error shape `{ id, message, request_id }`.
 * The ids are the ones DigitalOcean uses for the same situations.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string) =>
  new ApiError(
    404,
    'not_found',
    `The resource you requested could not be found: ${what}`,
  );

export const conflict = (message: string) =>
  new ApiError(409, 'conflict', message);

export const preconditionFailed = (message: string) =>
  new ApiError(412, 'precondition_failed', message);

export const unprocessable = (message: string) =>
  new ApiError(422, 'unprocessable_entity', message);
