import { randomBytes } from 'node:crypto';
import type { ListedObject } from './objects';

const KEPT_SNAPSHOTS = 200;

/**
 * `limit`/`continue` paging as the Kubernetes API does it: the pages after the first come from
 * the listing as it was when the first was served (a consistent snapshot), and a continue token
 * whose snapshot is no longer kept is refused with 410 Gone ("Expired").
 */
export class ListPages {
  private readonly snapshots = new Map<
    string,
    { items: ListedObject[]; resourceVersion: string }
  >();

  page(
    listing: () => { items: ListedObject[]; resourceVersion: string },
    limit: number | undefined,
    continueToken: string | undefined,
  ):
    | {
        items: ListedObject[];
        resourceVersion: string;
        continue?: string;
        remainingItemCount?: number;
      }
    | 'expired' {
    let snapshot;
    let offset = 0;
    if (continueToken) {
      const [id, at] = continueToken.split('.');
      snapshot = this.snapshots.get(id);
      offset = Number(at);
      if (!snapshot || !Number.isInteger(offset)) return 'expired';
    } else {
      snapshot = listing();
    }
    if (!limit || limit <= 0) {
      return {
        items: snapshot.items.slice(offset),
        resourceVersion: snapshot.resourceVersion,
      };
    }
    const items = snapshot.items.slice(offset, offset + limit);
    const remaining = snapshot.items.length - offset - items.length;
    if (remaining <= 0)
      return { items, resourceVersion: snapshot.resourceVersion };
    const id = continueToken?.split('.')[0] ?? this.keep(snapshot);
    return {
      items,
      resourceVersion: snapshot.resourceVersion,
      continue: `${id}.${offset + items.length}`,
      remainingItemCount: remaining,
    };
  }

  private keep(snapshot: { items: ListedObject[]; resourceVersion: string }) {
    const id = randomBytes(9).toString('base64url');
    this.snapshots.set(id, structuredClone(snapshot));
    if (this.snapshots.size > KEPT_SNAPSHOTS) {
      this.snapshots.delete(this.snapshots.keys().next().value!);
    }
    return id;
  }
}
