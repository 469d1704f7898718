import type {
  AppImageSourceSpec,
  AppSpec,
} from '@backstage-docr/digitalocean-openapi';
import { EmulatedApp, imageComponents, newApp } from './apps';
import { notFound, unprocessable } from './errors';
import type { RegistryState } from './registry';

export type { AppState, DeploymentState, EmulatedApp } from './apps';

/**
 * The account's App Platform apps. Components whose image comes from DOCR with `deploy_on_push`
 * are deployed again when their tag is pushed, as on DigitalOcean.
 */
export class AppPlatform {
  readonly apps = new Map<string, EmulatedApp>();

  constructor(
    private readonly now: () => number,
    private readonly registries: ReadonlyMap<string, RegistryState>,
  ) {}

  /** Apps by name, as DigitalOcean lists them. */
  list(): EmulatedApp[] {
    return [...this.apps.values()].sort((a, b) =>
      a.app.spec.name.localeCompare(b.app.spec.name),
    );
  }

  get(id: string): EmulatedApp {
    const app = this.apps.get(id);
    if (!app) throw notFound(`app "${id}"`);
    return app;
  }

  findByName(name: string): EmulatedApp {
    const app = this.list().find(a => a.app.spec.name === name);
    if (!app) throw notFound(`app "${name}"`);
    return app;
  }

  /** Creates an app and deploys its spec (its first deployment) at `createdAtMs`. */
  create(
    spec: AppSpec,
    options: { id?: string; createdAtMs?: number; cause?: string } = {},
  ): EmulatedApp {
    if (this.list().some(a => a.app.spec.name === spec.name))
      throw unprocessable(`An app named "${spec.name}" already exists`);
    for (const { name, image } of imageComponents(spec))
      this.assertImageSource(name, image);
    const createdAtMs = options.createdAtMs ?? this.now();
    const app = newApp(spec, { id: options.id, createdAtMs });
    app.deploy(spec, options.cause ?? 'app created', createdAtMs);
    this.apps.set(app.app.id, app);
    return app;
  }

  /**
   * The registry a DOCR image source names: `registry` when set, else the account's only
   * registry, else the one registry that holds the repository (DigitalOcean's spec leaves
   * `registry` empty for DOCR, which predates accounts with several registries).
   */
  docrRegistryOf(
    image: Pick<
      AppImageSourceSpec,
      'registry_type' | 'registry' | 'repository'
    >,
  ): string | undefined {
    if (image.registry_type !== 'DOCR') return undefined;
    if (image.registry) return image.registry;
    if (this.registries.size === 1) return [...this.registries.keys()][0];
    const holding = [...this.registries.values()].filter(r =>
      r.storage.repositories.has(image.repository ?? ''),
    );
    return holding.length === 1 ? holding[0].name : undefined;
  }

  /**
   * Deploys, again, every app with a DOCR component on `registry/repository:tag` that has
   * `deploy_on_push` on. Returns the apps deployed.
   */
  imagePushed(registry: string, repository: string, tag: string) {
    const deployed: EmulatedApp[] = [];
    for (const app of this.list()) {
      const triggered = imageComponents(app.app.spec).some(
        ({ image }) =>
          image.deploy_on_push?.enabled &&
          !image.digest &&
          image.repository === repository &&
          (image.tag ?? 'latest') === tag &&
          this.docrRegistryOf(image) === registry,
      );
      if (!triggered) continue;
      app.deploy(
        app.app.spec,
        `image ${registry}/${repository}:${tag} pushed to DOCR`,
        this.now(),
        'DEPLOY_ON_PUSH',
      );
      deployed.push(app);
    }
    return deployed;
  }

  private assertImageSource(component: string, image: AppImageSourceSpec) {
    if (image.tag && image.digest)
      throw unprocessable(
        `${component}: an image takes a tag or a digest, not both`,
      );
    if (image.digest && image.deploy_on_push?.enabled)
      throw unprocessable(
        `${component}: deploy_on_push needs an image tag, not a digest`,
      );
    if (image.registry_type === 'DOCR' && !image.repository)
      throw unprocessable(`${component}: a DOCR image needs a repository`);
  }
}
