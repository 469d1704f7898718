import express from 'express';
import Router from 'express-promise-router';
import type {
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError, serializeError } from '@backstage/errors';
import type { DigitalOceanEntityProvider } from './DigitalOceanEntityProvider';

/**
 * `POST /api/catalog/digitalocean/refresh` re-reads DigitalOcean now, so a registry the scaffolder
 * has just created shows in the catalog within seconds instead of at the next scheduled run.
 * Body `{ "provider": "<id>" }` limits it to one provider. Users and services may call it: it only
 * reads DigitalOcean.
 */
export function createRefreshRouter(options: {
  providers: DigitalOceanEntityProvider[];
  httpAuth: HttpAuthService;
  logger: LoggerService;
}): express.Router {
  const router = Router();
  router.use(express.json());
  router.post('/digitalocean/refresh', async (req, res) => {
    await options.httpAuth.credentials(req, { allow: ['user', 'service'] });
    const wanted: string | undefined = req.body?.provider;
    const providers = options.providers.filter(
      p => !wanted || p.getProviderName() === `digitalocean-provider:${wanted}`,
    );
    if (wanted && !providers.length) {
      throw new NotFoundError(`No DigitalOcean catalog provider "${wanted}"`);
    }
    const results = [];
    for (const provider of providers) {
      try {
        results.push({
          provider: provider.getProviderName(),
          ...(await provider.refresh()),
        });
      } catch (error) {
        // DigitalOcean failed, not this request: 502, with DigitalOcean's error in the message.
        options.logger.warn(
          `${provider.getProviderName()} refresh failed: ${error}`,
        );
        res.status(502).json({
          error: serializeError(error as Error),
          request: { method: req.method, url: req.originalUrl },
          response: { statusCode: 502 },
        });
        return;
      }
    }
    res.json({ results });
  });
  return router;
}
