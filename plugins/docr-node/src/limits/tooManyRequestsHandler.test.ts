import type { NextFunction, Request, Response } from 'express';
import { TooManyRequestsError } from './RateLimiter';
import { tooManyRequestsHandler } from './tooManyRequestsHandler';

/** What the handler did to the response: status, headers and JSON body. */
function fakeResponse() {
  const sent: {
    status?: number;
    headers: Record<string, string>;
    body?: unknown;
  } = { headers: {} };
  const res = {
    status(code: number) {
      sent.status = code;
      return res;
    },
    set(name: string, value: string) {
      sent.headers[name.toLowerCase()] = value;
      return res;
    },
    json(body: unknown) {
      sent.body = body;
      return res;
    },
  };
  return { res: res as unknown as Response, sent };
}

const req = {
  method: 'POST',
  originalUrl: '/api/catalog/digitalocean/refresh',
} as Request;

describe('tooManyRequestsHandler', () => {
  it('answers a TooManyRequestsError with 429 and Retry-After in whole seconds', () => {
    const { res, sent } = fakeResponse();
    const next = jest.fn() as jest.Mock & NextFunction;
    const error = new TooManyRequestsError(
      'Too many refreshes; try again in 3 s',
      2_100,
    );

    tooManyRequestsHandler()(error, req, res, next);

    expect(next).not.toHaveBeenCalled();
    expect(sent.status).toBe(429);
    expect(sent.headers['retry-after']).toBe('3');
    expect(sent.body).toEqual({
      error: expect.objectContaining({
        name: 'TooManyRequestsError',
        message: 'Too many refreshes; try again in 3 s',
      }),
      request: { method: 'POST', url: '/api/catalog/digitalocean/refresh' },
      response: { statusCode: 429 },
    });
  });

  it('asks at least a second of a limit back sooner than that', () => {
    const { res, sent } = fakeResponse();
    tooManyRequestsHandler()(
      new TooManyRequestsError('Too many', 1),
      req,
      res,
      jest.fn(),
    );
    expect(sent.headers['retry-after']).toBe('1');
  });

  it('passes every other error on to the next handler, answering nothing', () => {
    const { res, sent } = fakeResponse();
    const next = jest.fn() as jest.Mock & NextFunction;
    const error = Object.assign(new Error('Rate limited by DigitalOcean'), {
      name: 'DigitalOceanRateLimitError',
      status: 429,
    });

    tooManyRequestsHandler()(error, req, res, next);

    expect(next).toHaveBeenCalledWith(error);
    expect(sent).toEqual({ headers: {} });
  });
});
