import type { RegistryContents } from '../repositories/RepositoryCache';
import type { GraphOrFailure } from './graphSelection';
import type { WholePreview } from './preview';

/** Versions of one registry's preview held, newest first: pages being read keep theirs. */
const VERSIONS_HELD = 2;

/** What a preview was computed from: the cache's arrays and graphs, and the rules. */
interface Inputs {
  repositories: Array<{
    tags: unknown;
    manifests: unknown;
    graph: GraphOrFailure | undefined;
  }>;
  rules: string;
}

interface Held {
  version: string;
  view: WholePreview;
  inputs: Inputs;
  computedAtMs: number;
}

export interface PreviewInputs {
  contents: RegistryContents;
  graphs?: ReadonlyMap<string, GraphOrFailure>;
  /** The effective policy (source, rules, problem) as JSON: a new version of it is a new preview. */
  rules: string;
}

const sameInputs = (a: Inputs, b: Inputs) =>
  a.rules === b.rules &&
  a.repositories.length === b.repositories.length &&
  a.repositories.every(
    (r, i) =>
      r.tags === b.repositories[i].tags &&
      r.manifests === b.repositories[i].manifests &&
      r.graph === b.repositories[i].graph,
  );

/**
 * Each registry's retention preview, computed once per listing, image graphs and rules version
 * (tags × rules × patterns is the costly part) and named by a version, so its pages are served
 * from one computation and agree with one another. A preview older than `maxAgeMs` is computed
 * again (ages move on). Held in memory, per replica, for the `maxRegistries` most recently read.
 */
export class PreviewCache {
  private readonly registries = new Map<string, Held[]>();
  private sequence = 0;

  constructor(
    private readonly options: {
      maxAgeMs: number;
      maxRegistries: number;
      now: () => Date;
    },
  ) {}

  /** The preview of these inputs: the one held, or `compute`'s, held as the newest version. */
  current(
    registry: string,
    input: PreviewInputs,
    compute: () => WholePreview,
  ): { version: string; view: WholePreview } {
    const nowMs = this.options.now().getTime();
    const inputs: Inputs = {
      rules: input.rules,
      repositories: input.contents.repositories.map(r => ({
        tags: r.tags,
        manifests: r.manifests,
        graph: input.graphs?.get(r.name),
      })),
    };
    const versions = this.touch(registry);
    const newest = versions[0];
    if (
      newest &&
      sameInputs(newest.inputs, inputs) &&
      nowMs - newest.computedAtMs < this.options.maxAgeMs
    )
      return newest;
    const held: Held = {
      version: `${nowMs.toString(36)}-${(++this.sequence).toString(36)}`,
      view: compute(),
      inputs,
      computedAtMs: nowMs,
    };
    versions.unshift(held);
    versions.length = Math.min(versions.length, VERSIONS_HELD);
    return held;
  }

  /** The preview of that version, while it is held. */
  version(registry: string, version: string): WholePreview | undefined {
    return this.touch(registry).find(h => h.version === version)?.view;
  }

  private touch(registry: string): Held[] {
    const versions = this.registries.get(registry) ?? [];
    this.registries.delete(registry);
    this.registries.set(registry, versions);
    for (const oldest of this.registries.keys()) {
      if (this.registries.size <= this.options.maxRegistries) break;
      this.registries.delete(oldest);
    }
    return versions;
  }
}
