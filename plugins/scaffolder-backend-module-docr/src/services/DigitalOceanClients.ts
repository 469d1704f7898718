import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  DigitalOceanAccountsService,
  DigitalOceanClient,
} from '@backstage-docr/plugin-docr-node';

/**
 * The task secret that, when a template passes it, overrides the configured token.
 *
 * @public
 */
export const TOKEN_SECRET = 'digitaloceanToken';

/**
 * The DigitalOcean client for one action run: configured accounts by default, or a token the
 * task brought in its secrets (`ctx.secrets.digitaloceanToken`), for the same API URL.
 */
export class DigitalOceanClients {
  constructor(
    private readonly accounts: DigitalOceanAccountsService,
    private readonly logger: LoggerService,
  ) {}

  forTask(
    account: string | undefined,
    secrets: Record<string, string> | undefined,
  ): DigitalOceanClient {
    const configured = this.accounts.client(account);
    const token = secrets?.[TOKEN_SECRET];
    if (!token) return configured;
    return new DigitalOceanClient({
      token,
      apiUrl: configured.apiUrl,
      logger: this.logger,
    });
  }
}
