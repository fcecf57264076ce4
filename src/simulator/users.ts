/** The simulated users: the demo user (the credentials' own) and eleven generated people, and the identifiers JQL knows each by. */
import { mix, mulberry32, pick } from './prng.ts';

export interface SimUser {
  idx: number;
  accountId: string;
  name: string;
  key: string;
  displayName: string;
  email: string | null;
  timeZone: string;
}

const FIRST = [
  'Mia',
  'Noah',
  'Aarav',
  'Sofia',
  'Lukas',
  'Chen',
  'Amara',
  'Jonas',
  'Priya',
  'Mateo',
  'Zoë',
  'Kenji',
  'Fatima',
  'Olu',
  'Ingrid',
  'José',
];
const LAST = ['Krystof', 'Sharma', 'Müller', 'Okafor', 'Tanaka', 'García', 'Nguyen', 'Larsen', "O'Brien", 'Kowalski', 'Haddad', 'Silva'];
const USER_ZONES = ['Europe/Berlin', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Sydney', 'America/Sao_Paulo', 'UTC'];

export function userIdentifiers(u: SimUser): string[] {
  return [u.accountId.toLowerCase(), u.name.toLowerCase(), u.key.toLowerCase(), u.displayName.toLowerCase()];
}

export function makeUsers(seed: number, me: { email: string | null; name: string }): SimUser[] {
  const r = mulberry32(mix(seed, 0x05e5));
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(r() * 16).toString(16);
    return s;
  };
  const users: SimUser[] = [];
  for (let i = 0; i < 12; i++) {
    const accountId = i % 3 === 2 ? `712020:${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}` : hex(24);
    if (i === 0) {
      users.push({
        idx: 0,
        accountId,
        name: me.name,
        key: 'JIRAUSER10000',
        displayName: 'Demo User',
        email: me.email,
        timeZone: 'UTC',
      });
      continue;
    }
    const first = pick(r, FIRST);
    const last = pick(r, LAST);
    const name =
      (first + '.' + last)
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z.]/g, '') + (i > 9 ? i : '');
    users.push({
      idx: i,
      accountId,
      name,
      key: 'JIRAUSER' + (10100 + i),
      displayName: `${first} ${last}`,
      email: i % 4 === 1 ? null : `${name}@example.com`,
      timeZone: pick(r, USER_ZONES),
    });
  }
  return users;
}
