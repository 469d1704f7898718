import { DateTime } from 'luxon';
import {
  gcPolicySchema,
  gcWindowSchema,
  describeValidationIssues,
} from './gcPolicy';
import type { GcWindow } from './schema/openapi';
import { nextWindowAfter, openWindowAt } from './gcWindows';

const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });

describe('GC windows', () => {
  const sundayNight: GcWindow = {
    days: ['sun'],
    start: '03:00',
    duration: 'PT2H',
    timezone: 'UTC',
  };

  it('is open from its start (inclusive) to its end (exclusive)', () => {
    // 2026-11-22 is a Sunday.
    expect(
      openWindowAt([sundayNight], utc('2026-11-22T02:59:59Z')),
    ).toBeUndefined();
    const open = openWindowAt([sundayNight], utc('2026-11-22T03:00:00Z'));
    expect(open?.start.toISO()).toBe('2026-11-22T03:00:00.000Z');
    expect(open?.end.toISO()).toBe('2026-11-22T05:00:00.000Z');
    expect(open?.key).toBe('0@2026-11-22');
    expect(openWindowAt([sundayNight], utc('2026-11-22T04:59:59Z'))?.key).toBe(
      '0@2026-11-22',
    );
    expect(
      openWindowAt([sundayNight], utc('2026-11-22T05:00:00Z')),
    ).toBeUndefined();
    expect(
      openWindowAt([sundayNight], utc('2026-11-23T03:30:00Z')),
    ).toBeUndefined();
  });

  it('crosses midnight, keyed by the day it opened', () => {
    const lateSaturday: GcWindow = {
      days: ['sat'],
      start: '23:00',
      duration: 'PT3H',
      timezone: 'Europe/Berlin',
    };
    // Saturday 2026-11-21 23:00 Berlin = 22:00Z; open until Sunday 02:00 Berlin = 01:00Z.
    const open = openWindowAt([lateSaturday], utc('2026-11-22T00:30:00Z'));
    expect(open?.key).toBe('0@2026-11-21');
    expect(open?.end.toISO()).toBe('2026-11-22T01:00:00.000Z');
    expect(
      openWindowAt([lateSaturday], utc('2026-11-22T01:00:00Z')),
    ).toBeUndefined();
  });

  it('reads the start time in the window’s own time zone', () => {
    const tokyo: GcWindow = {
      days: ['mon'],
      start: '02:00',
      duration: 'PT1H',
      timezone: 'Asia/Tokyo',
    };
    // Monday 02:00 in Tokyo is Sunday 17:00 UTC.
    expect(openWindowAt([tokyo], utc('2026-11-22T17:30:00Z'))?.key).toBe(
      '0@2026-11-23',
    );
    const ny: GcWindow = {
      days: ['sun'],
      start: '22:00',
      duration: 'PT1H',
      timezone: 'America/New_York',
    };
    // Sunday 22:00 EST is Monday 03:00 UTC.
    expect(openWindowAt([ny], utc('2026-11-23T03:15:00Z'))?.key).toBe(
      '0@2026-11-22',
    );
  });

  describe('daylight saving time', () => {
    it('opens once on the spring-forward day even when the start time does not exist (New York)', () => {
      // 2026-03-08: clocks jump from 02:00 to 03:00 EST→EDT. 02:30 does not exist that day.
      const window: GcWindow = {
        days: ['sun'],
        start: '02:30',
        duration: 'PT1H',
        timezone: 'America/New_York',
      };
      const next = nextWindowAfter([window], utc('2026-03-08T00:00:00Z'));
      expect(next?.key).toBe('0@2026-03-08');
      // Moved forward by the gap: 03:30 EDT = 07:30Z, one real hour long.
      expect(next?.start.toISO()).toBe('2026-03-08T07:30:00.000Z');
      expect(next?.end.toISO()).toBe('2026-03-08T08:30:00.000Z');
      const following = nextWindowAfter([window], next!.start);
      expect(following?.key).toBe('0@2026-03-15');
    });

    it('opens once on the fall-back day when the start time happens twice (New York)', () => {
      // 2026-11-01: 01:00–02:00 happens twice (EDT then EST).
      const window: GcWindow = {
        days: ['sun'],
        start: '01:30',
        duration: 'PT1H',
        timezone: 'America/New_York',
      };
      const first = nextWindowAfter([window], utc('2026-11-01T00:00:00Z'));
      expect(first?.start.toISO()).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
      // At the second 01:30 (EST, 06:30Z) the same occurrence is still open: not a second one.
      expect(openWindowAt([window], utc('2026-11-01T06:29:00Z'))?.key).toBe(
        '0@2026-11-01',
      );
      expect(
        openWindowAt([window], utc('2026-11-01T06:30:00Z')),
      ).toBeUndefined();
      expect(nextWindowAfter([window], first!.start)?.key).toBe('0@2026-11-08');
    });

    it('keeps a window’s length in real hours across the change (Berlin)', () => {
      // 2026-03-29 02:00 CET → 03:00 CEST. A window 01:00 for 3 hours ends at 05:00 local.
      const window: GcWindow = {
        days: ['sun'],
        start: '01:00',
        duration: 'PT3H',
        timezone: 'Europe/Berlin',
      };
      const next = nextWindowAfter([window], utc('2026-03-28T12:00:00Z'));
      expect(next?.start.toISO()).toBe('2026-03-29T00:00:00.000Z');
      expect(next?.end.toISO()).toBe('2026-03-29T03:00:00.000Z');
      expect(next?.end.setZone('Europe/Berlin').toFormat('HH:mm')).toBe(
        '05:00',
      );
    });

    it('neither skips nor doubles daily windows over the Berlin fall-back week', () => {
      const window: GcWindow = {
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        start: '02:30',
        duration: 'PT30M',
        timezone: 'Europe/Berlin',
      };
      const keys: string[] = [];
      let cursor: DateTime = utc('2026-10-22T00:00:00Z');
      for (;;) {
        const next = nextWindowAfter([window], cursor);
        if (!next || next.start > utc('2026-10-29T00:00:00Z')) break;
        keys.push(next.key);
        cursor = next.start;
      }
      expect(keys).toEqual([
        '0@2026-10-22',
        '0@2026-10-23',
        '0@2026-10-24',
        '0@2026-10-25',
        '0@2026-10-26',
        '0@2026-10-27',
        '0@2026-10-28',
      ]);
    });
  });

  it('picks the earliest of several windows', () => {
    const windows: GcWindow[] = [
      { days: ['sun'], start: '03:00', duration: 'PT2H', timezone: 'UTC' },
      { days: ['wed'], start: '01:00', duration: 'PT1H', timezone: 'UTC' },
    ];
    // From Monday 2026-11-23, Wednesday comes first.
    expect(nextWindowAfter(windows, utc('2026-11-23T12:00:00Z'))?.key).toBe(
      '1@2026-11-25',
    );
  });
});

describe('GC policy validation', () => {
  it('fills in the defaults', () => {
    expect(gcPolicySchema.parse({})).toEqual({
      enabled: true,
      type: 'untagged manifests and unreferenced blobs',
      windows: [],
      cancelAtWindowEnd: true,
      notifyBeforeWindow: 'PT30M',
    });
  });

  it.each([
    [
      { days: [], start: '03:00', duration: 'PT2H', timezone: 'UTC' },
      'windows.0.days: A window needs at least one day',
    ],
    [
      { days: ['sunday'], start: '03:00', duration: 'PT2H', timezone: 'UTC' },
      'windows.0.days.0: Day must be one of',
    ],
    [
      { days: ['sun'], start: '3am', duration: 'PT2H', timezone: 'UTC' },
      'windows.0.start: Start must be a 24-hour time',
    ],
    [
      { days: ['sun'], start: '24:00', duration: 'PT2H', timezone: 'UTC' },
      'windows.0.start',
    ],
    [
      { days: ['sun'], start: '03:00', duration: '2 hours', timezone: 'UTC' },
      'windows.0.duration: Duration must be an ISO 8601 duration',
    ],
    [
      { days: ['sun'], start: '03:00', duration: 'P8D', timezone: 'UTC' },
      'windows.0.duration: Duration must be more than zero and at most 168 hours',
    ],
    [
      {
        days: ['sun'],
        start: '03:00',
        duration: 'PT2H',
        timezone: 'Mars/Olympus',
      },
      'windows.0.timezone: Time zone must be an IANA time zone',
    ],
  ])('names the field of a bad window %#', (window, message) => {
    const result = gcPolicySchema.safeParse({ windows: [window] });
    expect(result.success).toBe(false);
    expect(describeValidationIssues(result.error!).join('\n')).toContain(
      message,
    );
  });

  it('accepts a valid window', () => {
    expect(
      gcWindowSchema.parse({
        days: ['sat', 'sun'],
        start: '23:30',
        duration: 'PT90M',
        timezone: 'America/New_York',
      }),
    ).toBeTruthy();
  });
});
