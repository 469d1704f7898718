import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  type V1ControllerRevision,
} from '@kubernetes/client-node';
import https from 'node:https';
import { DoEmulator } from '../http/server';
import { kubernetesTls } from '../kubernetes/tls';
import { ManualClock } from '../ManualClock';
import { caller } from './http';
import { loadSeedFile } from '../seed';
import { demoSeedPath } from '../demoSeed';

const clusterId = '0f3a7b52-8e44-4c1c-b2d5-6a9e8f7c3d02';
const stagingId = '6c9e1c4e-2b1d-4a3e-9f0a-0d7c2d1b9a01';
const host = 'registry.digitalocean.com/acme-prod';

async function startWithWorkloads(clock = new ManualClock()) {
  return DoEmulator.start({
    validateResponses: true,
    clock: clock.now,
    seed: {
      account: { subscriptionTier: 'professional' },
      registries: [
        {
          name: 'acme-prod',
          images: [
            { repository: 'web', tag: 'v1', sizeMiB: 1 },
            { repository: 'web', tag: 'v2', sizeMiB: 1 },
            { repository: 'web', tag: 'v3', sizeMiB: 1 },
            { repository: 'web', tag: 'v4', sizeMiB: 1 },
            { repository: 'cron', tag: 'nightly', sizeMiB: 1 },
          ],
        },
      ],
      clusters: [
        { id: stagingId, name: 'staging-fra1' },
        {
          id: clusterId,
          name: 'prod-ams3',
          registries: ['acme-prod'],
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'shop',
              name: 'web',
              image: `${host}/web:v4`,
              replicas: 2,
              history: [`${host}/web:v1`, `${host}/web:v2`, `${host}/web:v3`],
              revisionHistoryLimit: 2,
            },
            {
              kind: 'CronJob',
              namespace: 'ops',
              name: 'report',
              image: `${host}/cron:nightly`,
            },
            {
              kind: 'StatefulSet',
              namespace: 'shop',
              name: 'missing',
              image: `${host}/web:gone`,
            },
          ],
        },
      ],
    },
  });
}

/** A kubeconfig made from the cluster's credentials, as a DOKS user would write it. */
async function kubeConfigFor(emulator: DoEmulator, expirySeconds = 300) {
  const credentials = (
    await caller(emulator)(
      'GET',
      `/v2/kubernetes/clusters/${clusterId}/credentials?expiry_seconds=${expirySeconds}`,
    )
  ).body;
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [
      {
        name: 'doks',
        server: credentials.server,
        caData: credentials.certificate_authority_data,
      },
    ],
    users: [{ name: 'doks', token: credentials.token }],
    contexts: [{ name: 'doks', cluster: 'doks', user: 'doks' }],
    currentContext: 'doks',
  });
  return { config, credentials };
}

/** A request trusting the emulator's test CA (fetch would need a global agent for it). */
function rawGet(
  url: string,
  options: { method?: string; authorization?: string } = {},
): Promise<{ status: number; json(): Promise<any> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: options.method ?? 'GET',
        ca: kubernetesTls().ca,
        headers: options.authorization
          ? { authorization: options.authorization }
          : {},
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            json: async () => JSON.parse(Buffer.concat(chunks).toString()),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe("the DOKS clusters' Kubernetes API stand-in", () => {
  let emulator: DoEmulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  it('serves pods with the digests their images resolved to, through @kubernetes/client-node', async () => {
    emulator = await startWithWorkloads();
    const { config, credentials } = await kubeConfigFor(emulator);
    expect(credentials.server).toBe(
      `${emulator.kubernetesUrl}/clusters/${clusterId}`,
    );
    const pods = await config
      .makeApiClient(CoreV1Api)
      .listPodForAllNamespaces();
    const storage = emulator.account.getRegistry('acme-prod').storage;
    const v4 = storage.repositories.get('web')!.tags.get('v4');
    const web = pods.items.filter(p => p.metadata?.namespace === 'shop');
    expect(
      web
        .filter(p => p.status?.phase === 'Running')
        .map(p => p.status?.containerStatuses?.[0].imageID),
    ).toEqual([`${host}/web@${v4}`, `${host}/web@${v4}`]);
    const missing = web.find(p => p.metadata?.name === 'missing-0')!;
    expect(missing.status).toMatchObject({
      phase: 'Pending',
      containerStatuses: [
        { imageID: '', state: { waiting: { reason: 'ImagePullBackOff' } } },
      ],
    });
    expect(
      pods.items.find(p => p.metadata?.namespace === 'ops')?.status?.phase,
    ).toBe('Succeeded');
  }, 60_000);

  it("keeps a Deployment's ReplicaSets within revisionHistoryLimit, owned and numbered by revision", async () => {
    emulator = await startWithWorkloads();
    const { config } = await kubeConfigFor(emulator);
    const apps = config.makeApiClient(AppsV1Api);
    const [deployment] = (
      await apps.listNamespacedDeployment({ namespace: 'shop' })
    ).items;
    expect(deployment.spec?.revisionHistoryLimit).toBe(2);
    const replicaSets = (await apps.listReplicaSetForAllNamespaces()).items;
    expect(
      replicaSets.map(rs => ({
        owner: rs.metadata?.ownerReferences?.[0],
        revision:
          rs.metadata?.annotations?.['deployment.kubernetes.io/revision'],
        replicas: rs.spec?.replicas,
        image: rs.spec?.template?.spec?.containers[0].image,
      })),
    ).toEqual(
      expect.arrayContaining([
        {
          owner: expect.objectContaining({
            kind: 'Deployment',
            name: 'web',
            uid: deployment.metadata?.uid,
          }),
          revision: '4',
          replicas: 2,
          image: `${host}/web:v4`,
        },
        expect.objectContaining({
          revision: '3',
          replicas: 0,
          image: `${host}/web:v3`,
        }),
        expect.objectContaining({
          revision: '2',
          replicas: 0,
          image: `${host}/web:v2`,
        }),
      ]),
    );
    expect(replicaSets).toHaveLength(3);

    emulator.account.kubernetes
      .cluster(clusterId)
      .rollOut('Deployment', 'shop', 'web', `${host}/web:v2`);
    const after = (await apps.listReplicaSetForAllNamespaces()).items;
    expect(
      after.map(rs => [
        rs.spec?.template?.spec?.containers[0].image,
        rs.metadata?.annotations?.['deployment.kubernetes.io/revision'],
        rs.spec?.replicas,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [`${host}/web:v2`, '5', 2],
        [`${host}/web:v4`, '4', 0],
        [`${host}/web:v3`, '3', 0],
      ]),
    );
    expect(after).toHaveLength(3);
  }, 60_000);

  it("keeps a DaemonSet's and a StatefulSet's releases as ControllerRevisions within revisionHistoryLimit, listed page by page", async () => {
    emulator = await startWithWorkloads();
    const kubernetes = emulator.account.kubernetes;
    kubernetes.run(clusterId, {
      kind: 'DaemonSet',
      namespace: 'infra',
      name: 'log-agent',
      image: `${host}/web:v3`,
      history: [`${host}/web:v1`, `${host}/web:v2`],
    });
    kubernetes.run(clusterId, {
      kind: 'StatefulSet',
      namespace: 'infra',
      name: 'db',
      image: `${host}/web:v4`,
      history: [`${host}/web:v1`, `${host}/web:v2`, `${host}/web:v3`],
      revisionHistoryLimit: 1,
      replicas: 2,
    });
    const { config } = await kubeConfigFor(emulator);
    const apps = config.makeApiClient(AppsV1Api);
    const [daemonSet] = (
      await apps.listNamespacedDaemonSet({ namespace: 'infra' })
    ).items;
    const [statefulSet] = (
      await apps.listNamespacedStatefulSet({ namespace: 'infra' })
    ).items;
    expect(daemonSet.spec?.revisionHistoryLimit).toBe(10);

    /** Every ControllerRevision, two a page: [owner, revision, image], by owner and revision. */
    async function revisions() {
      const all: V1ControllerRevision[] = [];
      let token: string | undefined;
      do {
        const page = await apps.listControllerRevisionForAllNamespaces({
          limit: 2,
          _continue: token,
        });
        all.push(...page.items);
        token = page.metadata?._continue;
      } while (token);
      return all.map(r => ({
        owner: r.metadata?.ownerReferences?.[0],
        name: r.metadata?.name,
        revision: r.revision,
        image: r.data.spec.template.spec.containers[0].image,
      }));
    }
    const listed = await revisions();
    const summary = (owner: string) =>
      listed
        .filter(r => r.owner?.name === owner)
        .map(r => [r.owner?.kind, r.revision, r.image])
        .sort((a: any, b: any) => a[1] - b[1]);
    expect(
      listed.filter(r => r.owner?.name === 'log-agent')[0].owner,
    ).toMatchObject({ uid: daemonSet.metadata?.uid, controller: true });
    expect(summary('log-agent')).toEqual([
      ['DaemonSet', 1, `${host}/web:v1`],
      ['DaemonSet', 2, `${host}/web:v2`],
      ['DaemonSet', 3, `${host}/web:v3`],
    ]);
    expect(summary('db')).toEqual([
      ['StatefulSet', 3, `${host}/web:v3`],
      ['StatefulSet', 4, `${host}/web:v4`],
    ]);
    const current = listed.find(
      r => r.owner?.name === 'db' && r.revision === 4,
    );
    expect(statefulSet.status).toMatchObject({
      currentRevision: current?.name,
      updateRevision: current?.name,
    });

    // A rollback to a kept release takes it up again, under a new revision.
    kubernetes
      .cluster(clusterId)
      .rollOut('DaemonSet', 'infra', 'log-agent', `${host}/web:v1`);
    const after = await revisions();
    expect(
      after
        .filter(r => r.owner?.name === 'log-agent')
        .map(r => [r.revision, r.image])
        .sort((a: any, b: any) => a[0] - b[0]),
    ).toEqual([
      [2, `${host}/web:v2`],
      [3, `${host}/web:v3`],
      [4, `${host}/web:v1`],
    ]);
    const pods = (
      await config
        .makeApiClient(CoreV1Api)
        .listNamespacedPod({ namespace: 'infra' })
    ).items.filter(p => p.metadata?.ownerReferences?.[0].kind === 'DaemonSet');
    expect(pods.map(p => p.spec?.containers[0].image)).toEqual([
      `${host}/web:v1`,
      `${host}/web:v1`,
    ]);
  }, 60_000);

  it('lists CronJobs, their Jobs, StatefulSets and DaemonSets', async () => {
    emulator = await startWithWorkloads();
    emulator.account.kubernetes.run(clusterId, {
      kind: 'DaemonSet',
      namespace: 'kube-system',
      name: 'agent',
      image: 'docker.io/library/busybox:1.36',
    });
    const { config } = await kubeConfigFor(emulator);
    const batch = config.makeApiClient(BatchV1Api);
    const apps = config.makeApiClient(AppsV1Api);
    const [cronJob] = (await batch.listCronJobForAllNamespaces()).items;
    expect(
      cronJob.spec?.jobTemplate.spec?.template.spec?.containers[0].image,
    ).toBe(`${host}/cron:nightly`);
    const [job] = (await batch.listJobForAllNamespaces()).items;
    expect(job.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'CronJob',
      name: 'report',
    });
    expect(
      (await apps.listStatefulSetForAllNamespaces()).items.map(
        s => s.metadata?.name,
      ),
    ).toEqual(['missing']);
    const pods = await config
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: 'kube-system' });
    expect(pods.items).toHaveLength(2);
    expect(pods.items[0].status?.containerStatuses?.[0].imageID).toMatch(
      /^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/,
    );
  }, 60_000);

  it('pages with limit and continue over a consistent snapshot', async () => {
    emulator = await startWithWorkloads();
    const workloads = emulator.account.kubernetes.cluster(clusterId);
    for (let i = 0; i < 5; i++)
      workloads.run({
        kind: 'Deployment',
        namespace: 'batch',
        name: `w${i}`,
        image: `${host}/web:v1`,
        replicas: 3,
      });
    const { config } = await kubeConfigFor(emulator);
    const core = config.makeApiClient(CoreV1Api);
    const first = await core.listNamespacedPod({
      namespace: 'batch',
      limit: 4,
    });
    expect(first.items).toHaveLength(4);
    expect(first.metadata?.remainingItemCount).toBe(11);
    workloads.rollOut('Deployment', 'batch', 'w0', `${host}/web:v2`);
    const names = first.items.map(p => p.metadata!.name!);
    let token = first.metadata?._continue;
    while (token) {
      const page = await core.listNamespacedPod({
        namespace: 'batch',
        limit: 4,
        _continue: token,
      });
      names.push(...page.items.map(p => p.metadata!.name!));
      token = page.metadata?._continue;
    }
    expect(names).toHaveLength(15);
    expect(new Set(names).size).toBe(15);
    await expect(
      core.listNamespacedPod({ namespace: 'batch', _continue: 'unknown.4' }),
    ).rejects.toMatchObject({ code: 410 });
  }, 60_000);

  it('refuses a token that is expired, made for another cluster or absent, and drops connections while unreachable', async () => {
    const clock = new ManualClock();
    emulator = await startWithWorkloads(clock);
    const { config, credentials } = await kubeConfigFor(emulator, 60);
    const core = config.makeApiClient(CoreV1Api);
    await expect(core.listPodForAllNamespaces()).resolves.toBeDefined();
    const anonymous = await rawGet(`${credentials.server}/api/v1/pods`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      kind: 'Status',
      reason: 'Unauthorized',
    });
    const write = await rawGet(
      `${credentials.server}/api/v1/namespaces/shop/pods`,
      { method: 'POST', authorization: `Bearer ${credentials.token}` },
    );
    expect(write.status).toBe(405);
    const otherCluster = (
      await caller(emulator)(
        'GET',
        `/v2/kubernetes/clusters/${stagingId}/credentials`,
      )
    ).body;
    const crossed = await rawGet(`${credentials.server}/api/v1/pods`, {
      authorization: `Bearer ${otherCluster.token}`,
    });
    expect(crossed.status).toBe(401);

    emulator.account.kubernetes.setReachable(clusterId, false);
    await expect(core.listPodForAllNamespaces()).rejects.toThrow();
    emulator.account.kubernetes.setReachable(clusterId, true);
    await expect(core.listPodForAllNamespaces()).resolves.toBeDefined();

    clock.advance(61_000);
    await expect(core.listPodForAllNamespaces()).rejects.toMatchObject({
      code: 401,
    });
  }, 60_000);

  it("runs the demo's images: every pod pulled, one Deployment pinned by digest, a rollback ReplicaSet and a DaemonSet's rollback ControllerRevision kept", async () => {
    emulator = await DoEmulator.start({
      validateResponses: true,
      seed: loadSeedFile(demoSeedPath),
    });
    const { config } = await kubeConfigFor(emulator);
    const pods = (
      await config.makeApiClient(CoreV1Api).listPodForAllNamespaces()
    ).items;
    expect(pods.length).toBeGreaterThan(5);
    expect(pods.filter(p => p.status?.phase === 'Pending')).toEqual([]);
    const api = pods.find(p => p.metadata?.labels?.app === 'api')!;
    expect(api.spec?.containers[0].image).toMatch(
      /^registry\.digitalocean\.com\/acme-prod\/api@sha256:[0-9a-f]{64}$/,
    );
    const replicaSets = (
      await config
        .makeApiClient(AppsV1Api)
        .listNamespacedReplicaSet({ namespace: 'shop' })
    ).items;
    expect(
      replicaSets
        .filter(rs => rs.spec?.replicas === 0)
        .map(rs => rs.spec?.template?.spec?.containers[0].image),
    ).toEqual(['registry.digitalocean.com/acme-prod/web:v1.4.1']);
    const revisions = (
      await config
        .makeApiClient(AppsV1Api)
        .listNamespacedControllerRevision({ namespace: 'infra' })
    ).items;
    expect(
      revisions.map(r => [
        r.revision,
        r.data.spec.template.spec.containers[0].image,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [1, 'registry.digitalocean.com/acme-prod/log-agent:1.2.0'],
        [2, 'registry.digitalocean.com/acme-prod/log-agent:1.3.0'],
      ]),
    );
  }, 60_000);

  it('runs, rolls out and cuts off workloads through the admin routes, refusing a bad request with 422', async () => {
    emulator = await startWithWorkloads();
    const call = caller(emulator);
    expect(
      (
        await call('POST', `/_emulator/clusters/${clusterId}/workloads`, {
          kind: 'Deployment',
          namespace: 'batch',
          name: 'worker',
          image: `${host}/web:v1`,
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await call('POST', `/_emulator/clusters/${clusterId}/rollouts`, {
          kind: 'Deployment',
          namespace: 'batch',
          name: 'worker',
          image: `${host}/web:v2`,
        })
      ).status,
    ).toBe(204);
    const { config } = await kubeConfigFor(emulator);
    const replicaSets = (
      await config
        .makeApiClient(AppsV1Api)
        .listNamespacedReplicaSet({ namespace: 'batch' })
    ).items;
    expect(
      replicaSets.map(rs => [
        rs.spec?.template?.spec?.containers[0].image,
        rs.spec?.replicas,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [`${host}/web:v2`, 1],
        [`${host}/web:v1`, 0],
      ]),
    );
    const again = await call(
      'POST',
      `/_emulator/clusters/${clusterId}/workloads`,
      { kind: 'Deployment', namespace: 'batch', name: 'worker', image: 'x' },
    );
    expect(again.status).toBe(422);
    expect(again.body.message).toMatch(/already runs/);
    expect(
      (
        await call('PUT', `/_emulator/clusters/${clusterId}/reachable`, {
          reachable: false,
        })
      ).status,
    ).toBe(204);
    await expect(
      config.makeApiClient(CoreV1Api).listPodForAllNamespaces(),
    ).rejects.toThrow();
    expect(
      (
        await call(
          'PUT',
          '/_emulator/clusters/00000000-0000-4000-8000-000000000000/reachable',
          { reachable: true },
        )
      ).status,
    ).toBe(404);
  }, 60_000);
});
