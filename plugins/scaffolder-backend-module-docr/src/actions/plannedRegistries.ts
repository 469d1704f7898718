import { registryNameProblem } from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import type { AccountFacts, CreateRegistryInput } from './planRegistry';

/** A registry of the template (this one or one a later step creates) and its input fields. */
interface Planned {
  name: string;
  region: string;
  nameField: string;
  regionField: string;
  nameOk: boolean;
}

/** The registries of the template checked together, and those that do not exist yet. */
export interface PlannedRegistriesCheck {
  /** Names of the registries the template creates (valid names not in the account yet). */
  toCreate: string[];
  problems: string[];
}

/** Whether the region hosts container registries; the problem names the field. */
export function regionProblem(
  account: AccountFacts,
  field: string,
  region: string,
): string | undefined {
  const regions = account.options.available_regions;
  return regions.includes(region)
    ? undefined
    : `${field}: "${region}" is not a region for container registries (${regions.join(', ')})`;
}

/**
 * Checks the registries later steps create beside this one: each a valid name and region, a
 * region and name of its own, not existing elsewhere (a registry cannot move), and its name free
 * in DigitalOcean (names are global). This registry's own name and region are checked by the
 * caller; only the collisions with it are checked here.
 */
export async function checkPlannedRegistries(
  client: DigitalOceanClient,
  input: CreateRegistryInput,
  account: AccountFacts,
): Promise<PlannedRegistriesCheck> {
  const { planned, problems } = describePlanned(input, account);
  problems.push(...collisions(planned), ...existingElsewhere(planned, account));
  const toCreate = [
    ...new Map(
      planned
        .filter(
          p => p.nameOk && !account.registries.some(r => r.name === p.name),
        )
        .map(p => [p.name, p]),
    ).values(),
  ];
  problems.push(...(await namesTaken(client, toCreate)));
  return { toCreate: toCreate.map(p => p.name), problems };
}

function describePlanned(input: CreateRegistryInput, account: AccountFacts) {
  const problems: string[] = [];
  const planned: Planned[] = [
    {
      name: input.name,
      region: input.region,
      nameField: 'name',
      regionField: 'region',
      nameOk: !registryNameProblem(input.name),
    },
  ];
  (input.alsoCreating ?? []).forEach((other, i) => {
    const nameField = `alsoCreating.${i}.name`;
    const regionField = other.regionParameter
      ? `${other.regionParameter} (alsoCreating.${i}.region)`
      : `alsoCreating.${i}.region`;
    const nameProblem = registryNameProblem(other.name);
    if (nameProblem) problems.push(`${nameField}: ${nameProblem}`);
    const otherRegionProblem = regionProblem(
      account,
      regionField,
      other.region,
    );
    if (otherRegionProblem) problems.push(otherRegionProblem);
    planned.push({
      name: other.name,
      region: other.region,
      nameField,
      regionField,
      nameOk: !nameProblem,
    });
  });
  return { planned, problems };
}

/** Each registry of the template needs its own region, and its own name. */
function collisions(planned: Planned[]): string[] {
  const problems: string[] = [];
  planned.forEach((other, i) => {
    const before = planned.slice(0, i);
    const sameRegion = before.find(p => p.region === other.region);
    const sameName = before.find(p => p.name === other.name);
    if (sameRegion) {
      problems.push(
        `${other.regionField}: "${other.region}" is also the region of ${sameRegion.name}; the registries of this template need different regions (in one region they would be one registry)`,
      );
    } else if (sameName) {
      problems.push(
        `${other.nameField}: "${other.name}" is also the name of the registry in ${sameName.region}; each registry needs its own name`,
      );
    }
  });
  return problems;
}

/** A registry of the account with the same name in another region: it cannot move. */
function existingElsewhere(planned: Planned[], account: AccountFacts) {
  const problems: string[] = [];
  for (const p of planned) {
    const existing = account.registries.find(r => r.name === p.name);
    if (existing && existing.region !== p.region) {
      problems.push(
        `${p.regionField}: registry "${p.name}" already exists in ${existing.region}, not ${p.region}; a registry cannot move, so use region ${existing.region} or another name`,
      );
    }
  }
  return problems;
}

/** Registry names are global: another account may hold one. */
async function namesTaken(
  client: DigitalOceanClient,
  toCreate: Planned[],
): Promise<string[]> {
  const available = await Promise.all(
    toCreate.map(p => client.isRegistryNameAvailable(p.name)),
  );
  return toCreate
    .filter((_, i) => !available[i])
    .map(
      p =>
        `${p.nameField}: "${p.name}" is taken by another DigitalOcean account; registry names are global, choose another`,
    );
}
