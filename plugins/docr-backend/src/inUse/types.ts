/**
 * How an image is in use: pulled by a running (or finished, kept) pod, named by a workload's
 * template, kept as a previous release for a rollback, or deployed by an App Platform app.
 */
export type ImageUseKind = 'running' | 'workload' | 'previousRelease' | 'app';

/** One place an image of the account's registries is in use. */
export interface ImageUse {
  registry: string;
  repository: string;
  /** The digest in use: a pod's pulled image, or a reference by digest. */
  digest?: string;
  /** The tag a template names (no digest): the tag's current image is in use. */
  tag?: string;
  kind: ImageUseKind;
  /** For people: `running in prod-ams3: shop/web-7d9f…`. */
  where: string;
  /** A previous release of its workload: 1 for the one before the current release. */
  previousRelease?: number;
  /** The cluster's name (DOKS). */
  cluster?: string;
  namespace?: string;
  /** The app's name (App Platform). */
  app?: string;
}

/** A source of images in use that could not be read, and the registries it pulls from. */
export interface UnreadableSource {
  /** `cluster` (DOKS) or `apps` (the account's App Platform apps). */
  kind: 'cluster' | 'apps';
  /** The cluster's name, or `App Platform`. */
  name: string;
  /** The registries it pulls from: retention deletes nothing of them meanwhile. */
  registries: string[];
  reason: string;
}

/** What runs where, for one account, as read at `readAt`. */
export interface ImagesInUse {
  readAt: Date;
  uses: ImageUse[];
  unreadable: UnreadableSource[];
}
