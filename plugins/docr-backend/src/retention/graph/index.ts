export type {
  BlobRef,
  ChildRef,
  GraphManifest,
  ManifestFacts,
  ManifestKind,
  RepositoryGraph,
  SubjectSource,
} from './model';
export {
  readRepositoryGraph,
  type ManifestReader,
  type ReadRepositoryGraphOptions,
} from './readRepositoryGraph';
export { RepositoryGraphs } from './RepositoryGraphs';
export {
  ManifestFactsCache,
  DEFAULT_MANIFEST_FACTS_BYTES,
} from './ManifestFactsCache';
export {
  closureOf,
  closureOfTags,
  closureOfManifests,
  blobsOf,
  type Closure,
} from './closure';
export {
  referencedUntaggedManifests,
  standaloneUntaggedManifests,
  untaggedHeldByUnreadable,
  attachmentTags,
  decideAttachmentTags,
  unresolvedManifests,
  unresolvedTags,
  deletedWithTags,
  type AttachmentTag,
  type AttachmentDecision,
} from './retentionFacts';
export { classify, factsOf, subjectOfTag } from './classify';
