import { typedRouter } from './typedRouter';
import { z } from 'zod';
import { InputError } from '@backstage/errors';
import {
  RegistryNameCheckView,
  docrRegistryCreatePermission,
  registryNameProblem,
} from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import type { RegistryAccess } from './access';

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
 * call per distinct name per minute, within the account's shared rate budget.
 */
export class NameAvailability {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly client: DigitalOceanClient,
    private readonly now: () => Date,
  ) {}

  async check(name: string): Promise<RegistryNameCheckView> {
    const now = this.now().getTime();
    let entry = this.entries.get(name);
    if (!entry || now - entry.checkedAt > NAME_CHECK_TTL_MS) {
      entry = {
        checkedAt: now,
        available: this.client.isRegistryNameAvailable(name),
      };
      // A failed call is not an answer: the next question asks DigitalOcean again.
      entry.available.catch(() => this.entries.delete(name));
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
    res.json(await availability.check(parsed.data.name));
  });
  return router;
}
