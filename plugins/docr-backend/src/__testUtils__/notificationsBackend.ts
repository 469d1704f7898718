import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import {
  registryEntityName,
  subscriptionEntityName,
} from '@backstage-docr/plugin-docr-common';
import request from 'supertest';
import type { DocrTestBackend } from './backend';

const group = (name: string, members: string[]) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: members.map(m => ({ type: 'hasMember', targetRef: m })),
});

const user = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: {},
});

const resource = (name: string, owner: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default' },
  spec: { type: 'container-registry', owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

export const ALICE = 'user:default/alice';
export const BOB = 'user:default/bob';
export const PAT = 'user:default/pat';

/**
 * The catalog the notifications backend resolves owners in: team-a (alice) owns the registries,
 * platform (pat) the account's subscription, team-b (bob) nothing of it.
 */
export function ownersCatalog(registries: string[]) {
  return catalogServiceMock.factory({
    entities: [
      user('alice'),
      user('bob'),
      user('pat'),
      group('team-a', [ALICE]),
      group('team-b', [BOB]),
      group('platform', [PAT]),
      ...registries.map(r =>
        resource(registryEntityName(r), 'group:default/team-a'),
      ),
      resource(subscriptionEntityName('default'), 'group:default/platform'),
    ],
  });
}

/** The real notifications backend and the catalog it resolves owners in. */
export const notificationFeatures = (registries: string[]) => [
  notificationsPlugin,
  ownersCatalog(registries),
];

export interface ReadNotification {
  id: string;
  /** When the user marked it read; a notification sent again is unread again. */
  read: string | number | null;
  title: string;
  description?: string;
  link?: string;
  severity?: string;
  topic?: string;
  scope?: string;
}

const asUser = (userRef: string) => mockCredentials.user.header(userRef);

/** What `/api/notifications` shows the user, as the bell's page reads it. */
export async function notificationsOf(
  docr: DocrTestBackend,
  userRef: string,
  topic?: string,
): Promise<ReadNotification[]> {
  const res = await request(docr.backend.server)
    .get('/api/notifications/notifications')
    .set('authorization', asUser(userRef));
  if (res.status !== 200)
    throw new Error(`GET /api/notifications: ${res.status} ${res.text}`);
  const all = (
    res.body.notifications as {
      id: string;
      read: string | number | null;
      payload: Omit<ReadNotification, 'id' | 'read'>;
    }[]
  ).map(n => ({ id: n.id, read: n.read, ...n.payload }));
  return topic ? all.filter(n => n.topic === topic) : all;
}

/** Marks notifications read, as the user does on the notifications page. */
export async function markRead(
  docr: DocrTestBackend,
  userRef: string,
  ids: string[],
): Promise<void> {
  const res = await request(docr.backend.server)
    .post('/api/notifications/notifications/update')
    .set('authorization', asUser(userRef))
    .send({ ids, read: true });
  if (res.status !== 200)
    throw new Error(
      `POST /api/notifications update: ${res.status} ${res.text}`,
    );
}
