import { gcPolicySchema } from './gcPolicy';

describe('a policy says how long before its windows the owners are told', () => {
  it('tells them 30 minutes before when it says nothing', () => {
    expect(gcPolicySchema.parse({}).notifyBeforeWindow).toBe('PT30M');
  });

  it('takes a duration of up to a day, or off', () => {
    expect(
      gcPolicySchema.parse({ notifyBeforeWindow: 'PT2H' }).notifyBeforeWindow,
    ).toBe('PT2H');
    expect(
      gcPolicySchema.parse({ notifyBeforeWindow: 'off' }).notifyBeforeWindow,
    ).toBe('off');
  });

  it.each(['P2D', 'PT0M', 'soon'])('refuses %s, naming the field', value => {
    const result = gcPolicySchema.safeParse({ notifyBeforeWindow: value });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].path).toEqual(['notifyBeforeWindow']);
    expect(result.error!.issues[0].message).toContain(value);
  });
});
