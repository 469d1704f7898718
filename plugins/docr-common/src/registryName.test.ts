import {
  registryNameProblem,
  registryNameSchema,
  registryServerUrl,
} from './registryName';

describe('registry names', () => {
  it.each([
    ['', 'must not be empty'],
    ['a'.repeat(64), 'at most 63 characters, got 64'],
    ['MyRegistry', 'must be lowercase'],
    ['-leading', 'must not start or end with a hyphen'],
    ['trailing-', 'must not start or end with a hyphen'],
    ['under_score', 'contains "_"'],
    ['dot.name', 'contains "."'],
  ])('refuses %j with a message that says why', (name, message) => {
    expect(registryNameProblem(name)).toContain(message);
    const result = registryNameSchema.safeParse(name);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toContain(message);
  });

  it.each(['a', 'acme-prod', 'a'.repeat(63), '0day', 'x-1-y'])(
    'accepts %j',
    name => {
      expect(registryNameProblem(name)).toBeUndefined();
      expect(registryNameSchema.parse(name)).toBe(name);
    },
  );

  it('suggests the lowercase name', () => {
    expect(registryNameProblem('Acme')).toContain('try "acme"');
  });

  it('builds the image server address', () => {
    expect(registryServerUrl('acme-prod')).toBe(
      'registry.digitalocean.com/acme-prod',
    );
  });
});
