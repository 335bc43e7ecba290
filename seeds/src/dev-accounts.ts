import { Role } from '@app/domain';

/** Development accounts (listed in the README). Never loaded when NODE_ENV=production. */
export const DEV_ACCOUNTS: {
  email: string;
  displayName: string;
  role: Role;
  memberState: string | null;
  password: string;
}[] = [
  {
    email: 'admin@ctap.local',
    displayName: 'CTAP Administrator',
    role: Role.Admin,
    memberState: null,
    password: 'Admin-Ctap-2026!',
  },
  {
    email: 'cted.officer@ctap.local',
    displayName: 'CTED Officer',
    role: Role.CtedOfficer,
    memberState: null,
    password: 'Cted-Officer-2026!',
  },
  {
    email: 'unodc.manager@ctap.local',
    displayName: 'UNODC TPB Programme Manager',
    role: Role.UnodcManager,
    memberState: null,
    password: 'Unodc-Manager-2026!',
  },
  {
    email: 'cted.officer2@ctap.local',
    displayName: 'CTED Officer (second)',
    role: Role.CtedOfficer,
    memberState: null,
    password: 'Cted-Officer-2026!',
  },
  {
    email: 'cted.supervisor@ctap.local',
    displayName: 'CTED Supervisor',
    role: Role.CtedSupervisor,
    memberState: null,
    password: 'Cted-Supervisor-2026!',
  },
  {
    email: 'unodc.supervisor@ctap.local',
    displayName: 'UNODC TPB Section Chief',
    role: Role.UnodcSupervisor,
    memberState: null,
    password: 'Unodc-Supervisor-2026!',
  },
  {
    email: 'focal.ken@ctap.local',
    displayName: 'Kenya focal point',
    role: Role.MemberState,
    memberState: 'KEN',
    password: 'Focal-Point-2026!',
  },
  {
    email: 'focal.idn@ctap.local',
    displayName: 'Indonesia focal point',
    role: Role.MemberState,
    memberState: 'IDN',
    password: 'Focal-Point-2026!',
  },
  {
    email: 'focal.col@ctap.local',
    displayName: 'Colombia focal point',
    role: Role.MemberState,
    memberState: 'COL',
    password: 'Focal-Point-2026!',
  },
  {
    email: 'focal.nga@ctap.local',
    displayName: 'Nigeria focal point',
    role: Role.MemberState,
    memberState: 'NGA',
    password: 'Focal-Point-2026!',
  },
  {
    email: 'focal.jor@ctap.local',
    displayName: 'Jordan focal point',
    role: Role.MemberState,
    memberState: 'JOR',
    password: 'Focal-Point-2026!',
  },
];
