import { ALL_DAYS, AccountSpec, layers, win } from './scenario';
import { burst5xx, failNextGcs, storm429, throttled } from './faultEvents';

/** The three accounts of the soak, each with its policies and the faults it meets. */
export const ACCOUNTS: AccountSpec[] = [
  {
    id: 'acme-eu',
    prefix: 'eu',
    gcStepMin: 2,
    defaultPolicy: {
      windows: [win(['sun'], '02:00', 'PT2H', 'Europe/Berlin')],
    },
    configPolicies: {
      'eu-juliet': {
        windows: [win(ALL_DAYS, '00:30', 'PT1H', 'Europe/London')],
      },
    },
    apiPolicies: {
      'eu-alpha': {
        windows: [win(ALL_DAYS, '01:00', 'PT1H', 'Europe/Berlin')],
      },
      'eu-bravo': {
        windows: [win(ALL_DAYS, '01:00', 'PT1H', 'Europe/Berlin')],
      },
      'eu-charlie': {
        windows: [win(ALL_DAYS, '23:00', 'PT30M', 'Europe/Lisbon')],
      },
      'eu-delta': {
        windows: [
          win(['mon', 'wed', 'fri'], '21:00', 'PT2H', 'Europe/Helsinki'),
        ],
      },
    },
    events: [
      ...storm429('2027-03-06T23:20:00Z', '2027-03-07T00:20:00Z'),
      burst5xx('2027-03-12T00:02:00Z', 503, 20),
      failNextGcs('2027-03-15T00:00:00Z', 2),
    ],
    deleteDuringGc: { registry: 'eu-delta', after: '2027-03-10T00:00:00Z' },
  },
  {
    id: 'acme-us',
    prefix: 'us',
    gcStepMin: 4,
    defaultPolicy: {
      windows: [win(['mon', 'sat'], '23:30', 'PT1H', 'America/New_York')],
    },
    apiPolicies: {
      'us-alpha': {
        windows: [win(['sat'], '22:00', 'PT3H', 'America/Los_Angeles')],
      },
      'us-bravo': {
        windows: [win(ALL_DAYS, '02:30', 'PT15M', 'America/Chicago')],
      },
      'us-charlie': {
        type: 'untagged manifests only',
        windows: [win(['mon', 'thu'], '12:00', 'PT2H', 'America/Denver')],
      },
      'us-delta': {
        windows: [win(ALL_DAYS, '06:00', 'PT1H', 'America/Phoenix')],
      },
    },
    events: [
      burst5xx('2027-03-09T04:35:00Z', 500, 15),
      failNextGcs('2027-03-10T00:00:00Z', 3),
      {
        at: '2027-03-15T15:00:00Z',
        run: ({ emulator, note }) => {
          emulator.account.deleteRegistry('us-hotel');
          note('us-hotel (config default policy) deleted outside its window');
        },
      },
      ...throttled('2027-03-21T03:00:00Z', '2027-03-21T04:00:00Z', 3),
    ],
  },
  {
    id: 'acme-apac',
    prefix: 'ap',
    gcStepMin: 5,
    retention: { runs: 'P14D', samples: 'P7D' },
    defaultPolicy: {
      windows: [win(['wed', 'sat'], '04:00', 'PT2H', 'Asia/Tokyo')],
    },
    apiPolicies: {
      'ap-alpha': {
        windows: [win(ALL_DAYS, '12:00', 'PT15M', 'Australia/Sydney')],
      },
      'ap-bravo': {
        windows: [win(ALL_DAYS, '03:30', 'PT1H30M', 'Asia/Kolkata')],
      },
      'ap-charlie': {
        windows: [win(['fri'], '20:00', 'PT4H', 'Pacific/Chatham')],
      },
      'ap-foxtrot': {
        windows: [win(ALL_DAYS, '02:00', 'PT2H', 'Asia/Singapore')],
      },
    },
    events: [
      burst5xx('2027-03-03T22:00:00Z', 503, 25),
      {
        at: '2027-03-08T12:00:00Z',
        run: ({ emulator, note }) => {
          emulator.account.deleteRegistry('ap-foxtrot');
          note('ap-foxtrot (stored policy) deleted between its windows');
        },
      },
      {
        at: '2027-03-14T12:00:00Z',
        run: ({ emulator, note }) => {
          emulator.account.createRegistry({ name: 'ap-foxtrot' });
          emulator.push('ap-foxtrot', 'web', 'latest', layers());
          note('ap-foxtrot created again');
        },
      },
      {
        at: '2027-03-17T17:59:00Z',
        run: ({ emulator, note }) => {
          emulator.faults.add({
            kind: 'drop-response',
            operationId: 'registries_run_garbageCollection',
          });
          note('the answer to the next GC start is lost');
        },
      },
      ...storm429('2027-03-23T18:30:00Z', '2027-03-23T19:30:00Z'),
    ],
  },
];
