import { Box, Chip, Tooltip, Typography } from '@material-ui/core';
import type { RepositoryTagImageView } from '@backstage-docr/plugin-docr-common';
import {
  attachmentNoun,
  cosignTag,
  isAttachment,
  shortDigest,
} from './imageGraph';

/** A small labelled chip in the theme's colours, its meaning in a tooltip. */
function Label(props: {
  label: string;
  title: string;
  color?: 'primary' | 'secondary' | 'default';
}) {
  return (
    <Tooltip title={props.title}>
      <Chip
        size="small"
        variant="outlined"
        color={props.color ?? 'default'}
        label={props.label}
      />
    </Tooltip>
  );
}

/** "linux/amd64", "linux/arm64": the platforms of a multi-arch index. */
export function PlatformChips(props: { platforms: string[] }) {
  return (
    <>
      {props.platforms.map(platform => (
        <Chip key={platform} size="small" label={platform} />
      ))}
    </>
  );
}

/** Signed, attested, SBOM: what is attached to an image. */
function SupplyChainLabels(props: { image: RepositoryTagImageView }) {
  const { image } = props;
  return (
    <>
      {image.signed && (
        <Label
          color="primary"
          label="signed"
          title="A signature is attached (cosign tag or OCI referrer)"
        />
      )}
      {image.attested && (
        <Label
          color="primary"
          label="attested"
          title="An attestation is attached (cosign tag or OCI referrer)"
        />
      )}
      {image.sbom && (
        <Label
          color="primary"
          label="SBOM"
          title="A software bill of materials is attached"
        />
      )}
    </>
  );
}

/** An attachment tag: what it is and, from cosign's tag name, whose it is. */
function AttachmentLabel(props: { tag: string; kind: string }) {
  const subject = cosignTag(props.tag)?.subjectDigest;
  const noun = attachmentNoun(props.kind);
  return (
    <>
      <Label
        label={`attachment: ${noun}`}
        title="Belongs to the image it is attached to; not a build of its own"
      />
      {subject && (
        <Typography variant="caption" color="textSecondary">
          {noun} of {shortDigest(subject)}
        </Typography>
      )}
    </>
  );
}

/**
 * What a tag is, as the backend read it from the registry host: platforms, signed, attested, SBOM,
 * a Helm chart, an attachment, or a manifest it could not tell or read, with the reason.
 */
export function TagImageSummary(props: {
  tag: string;
  image?: RepositoryTagImageView;
}) {
  const { tag, image } = props;
  if (!image) {
    return (
      <Typography variant="caption" color="textSecondary">
        not read yet
      </Typography>
    );
  }
  let body;
  if (isAttachment(image.kind)) {
    body = <AttachmentLabel tag={tag} kind={image.kind} />;
  } else if (image.kind === 'unknown' || image.kind === 'unreadable') {
    body = (
      <Typography variant="caption" color="textSecondary">
        {image.kind === 'unknown' ? 'Type unknown' : 'Unreadable'}
        {image.reason ? `: ${image.reason}` : ''}
      </Typography>
    );
  } else {
    body = (
      <>
        {image.kind === 'helm-chart' && (
          <Label
            label="Helm chart"
            title="A Helm chart stored as OCI artifact"
          />
        )}
        <PlatformChips platforms={image.platforms} />
        <SupplyChainLabels image={image} />
      </>
    );
  }
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      gridGap={4}
      data-testid={`image-${tag}`}
    >
      {body}
    </Box>
  );
}
