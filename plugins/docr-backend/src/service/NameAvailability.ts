import { typedRouter } from './typedRouter';
import { z } from 'zod';
import { InputError } from '@backstage/errors';
import {
  RegistryNameCheckView,
  docrRegistryCreatePermission,
  registryNameProblem,
} from '@backstage-docr/plugin-docr-common';
import type {
  DigitalOceanClient,
  RateLimiter,
} from '@backstage-docr/plugin-docr-node';
import { principalRef, type RegistryAccess } from './RegistryAccess';

/** How long an answer of DigitalOcean's is reused: a form asks again as the user types. */
export const NAME_CHECK_TTL_MS = 60_000;
/** Answers kept at most; the oldest goes first. */
export const NAME_CHECK_CAPACITY = 500;

interface Entry {
  checkedAt: number;
  available: Promise<boolean>;
}

/**
 * Registry names are unique across DigitalOcean, so only DigitalOcean can say whether one is free
 * (`POST /v2/registries/validate-name`). Answers are kept a minute and concurrent questions about
 * one name share one call, so a form checking as the user types costs DigitalOcean at most one
 * call per distinct name per minute. A check that would ask DigitalOcean is also counted against
 * the user's limit and the account's share of calls for interactive reads (429 past either);
 * answers held cost nothing.
 */
export class NameAvailability {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly client: DigitalOceanClient,
    private readonly now: () => Date,
    private readonly limits?: {
      perUser: RateLimiter;
      account: { limiter: RateLimiter; key: string };
    },
  ) {}

  async check(name: string, user: string): Promise<RegistryNameCheckView> {
    const now = this.now().getTime();
    let entry = this.entries.get(name);
    if (!entry || now - entry.checkedAt > NAME_CHECK_TTL_MS) {
      this.spend(user);
      entry = {
        checkedAt: now,
        available: this.client.isRegistryNameAvailable(name),
      };
      // A failed call is not an answer: the next question asks DigitalOcean again (unless a
      // newer question replaced this entry meanwhile; its answer stays).
      const asked = entry;
      entry.available.catch(() => {
        if (this.entries.get(name) === asked) this.entries.delete(name);
      });
      this.entries.delete(name);
      this.entries.set(name, entry);
      this.evictOldest();
    }
    const available = await entry.available;
    return {
      name,
      available,
      checkedAt: new Date(entry.checkedAt).toISOString(),
    };
  }

  /** Counts a call to DigitalOcean against the user and the account, or throws 429. */
  private spend(user: string) {
    if (!this.limits) return;
    const { perUser, account } = this.limits;
    perUser.take(user);
    try {
      account.limiter.take(account.key);
    } catch (error) {
      perUser.giveBack(user);
      throw error;
    }
  }

  private evictOldest() {
    while (this.entries.size > NAME_CHECK_CAPACITY) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}

const bodySchema = z.object({ name: z.string() });

/** `POST /registry-names/check {name}`: format first (400 naming the rule), then DigitalOcean. */
export function nameAvailabilityRoutes(options: {
  access: RegistryAccess;
  availability: NameAvailability;
}) {
  const { access, availability } = options;
  const router = typedRouter();
  router.post('/registry-names/check', async (req, res) => {
    const creds = await access.credentials(req);
    await access.authorizeOnSubscription(creds, docrRegistryCreatePermission);
    const parsed = bodySchema.safeParse(req.body);
    if (!parsed.success) throw new InputError('name: a string is required');
    const problem = registryNameProblem(parsed.data.name);
    if (problem) throw new InputError(`name: ${problem}`);
    res.json(await availability.check(parsed.data.name, principalRef(creds)));
  });
  return router;
}
