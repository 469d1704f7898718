import type {
  App,
  AppDeployment,
  AppImageSourceSpec,
} from '@backstage-docr/digitalocean-openapi';
import type { ImageUse } from './types';

type AppSpec = NonNullable<App['spec']>;

/** The DOCR images an app spec deploys: its services', workers' and jobs' `image`. */
function specImages(
  spec: AppSpec | undefined,
): Array<{ component: string; image: AppImageSourceSpec }> {
  const components = [
    ...(spec?.services ?? []),
    ...(spec?.workers ?? []),
    ...(spec?.jobs ?? []),
  ];
  return components.flatMap(component =>
    component.image?.registry_type === 'DOCR' && component.image.repository
      ? [{ component: component.name ?? '?', image: component.image }]
      : [],
  );
}

function uses(
  app: string,
  spec: AppSpec | undefined,
  use: Pick<ImageUse, 'kind' | 'previousRelease'> & { what: string },
): ImageUse[] {
  return specImages(spec).map(({ component, image }) => ({
    // DigitalOcean leaves `registry` empty for DOCR: the account's registry holding the
    // repository; '' matches every registry of the account.
    registry: image.registry ?? '',
    repository: image.repository!,
    ...(image.digest
      ? { digest: image.digest }
      : { tag: image.tag || 'latest' }),
    kind: use.kind,
    ...(use.previousRelease ? { previousRelease: use.previousRelease } : {}),
    where: `App Platform app ${app}, ${use.what} (${component})`,
    app,
  }));
}

/**
 * What an App Platform app deploys from DOCR: its active deployment, one in progress or pending,
 * and its earlier deployments, newest first (previous release 1 is the one a rollback goes back
 * to). `deployments` is the app's deployments, newest first.
 */
export function imagesInUseByApp(
  app: App,
  deployments: AppDeployment[],
): ImageUse[] {
  const name = app.spec?.name ?? app.id ?? '?';
  const active = app.active_deployment;
  const upcoming = [app.in_progress_deployment, app.pending_deployment].filter(
    (d): d is AppDeployment => !!d?.spec,
  );
  const activeAt = active?.created_at ? Date.parse(active.created_at) : NaN;
  const previous = deployments.filter(
    d =>
      d.id !== active?.id &&
      d.spec &&
      (d.phase === 'SUPERSEDED' ||
        (d.created_at !== undefined && Date.parse(d.created_at) < activeAt)),
  );
  return [
    ...uses(name, active?.spec ?? app.spec, {
      kind: 'app',
      what: 'active deployment',
    }),
    ...upcoming.flatMap(d =>
      uses(name, d.spec, { kind: 'app', what: 'deployment in progress' }),
    ),
    ...previous.flatMap((d, i) =>
      uses(name, d.spec, {
        kind: 'previousRelease',
        previousRelease: i + 1,
        what: `previous deployment ${i + 1}`,
      }),
    ),
  ];
}
