/**
 * The demo: a few dozen requests from States the 2009 report lists as assisted, each taken to a
 * target point of the lifecycle so that every stage and every outcome is on screen.
 */
export type DemoTarget =
  | 'cted_review'
  | 'overdue_review'
  | 'awaiting_information'
  | 'lapsed'
  | 'declined'
  | 'external_pending'
  | 'external_delivered'
  | 'external_not_delivered'
  | 'plan_proposed'
  | 'awaiting_funding'
  | 'delivery'
  | 'follow_up'
  | 'completed'
  | 'completed_with_follow_up'
  | 'withdrawn'
  | 'evaluation_not_received';

/** Targets whose point is a deadline passing: they run with a demonstration clock (see demo.ts). */
export const FAST_CLOCK_TARGETS: ReadonlySet<DemoTarget> = new Set([
  'overdue_review',
  'lapsed',
  'evaluation_not_received',
]);

export interface DemoScenario {
  memberState: string;
  title: string;
  needs: { thematicArea: string; description: string; modalities: string[] }[];
  target: DemoTarget;
}

const N = (thematicArea: string, description: string, modality: string) => ({
  thematicArea,
  description,
  modalities: [modality],
});

const LEGIS = N(
  'legislative_incorporation',
  'Review draft counter-terrorism legislation against the universal instruments',
  'national_legislative_drafting_workshop',
);
const RATIFY = N(
  'ratification',
  'Advice on ratifying the 2005 Nuclear Terrorism Convention and the 2010 Beijing instruments',
  'remote_legal_advice',
);
const CJ = N(
  'criminal_justice_capacity',
  'Train prosecutors and judges in handling terrorism cases',
  'national_training_workshop',
);
const CFT = N(
  'countering_terrorist_financing',
  'Strengthen the financial intelligence unit and the regime for freezing terrorist assets',
  'national_training_workshop',
);
const COOP = N(
  'international_cooperation',
  'Set up a central authority for mutual legal assistance and extradition',
  'national_training_workshop',
);
const MARITIME = N(
  'transport_terrorism',
  'Implement the SUA Convention and its 2005 Protocol in port security law',
  'national_legislative_drafting_workshop',
);
const REPORT = N(
  'sc_committee_reporting',
  'Help drafting the overdue report to the 1540 Committee',
  'remote_legal_advice',
);
const CBRN = N(
  'cbrn_terrorism',
  'Criminalise offences under the amended Convention on the Physical Protection of Nuclear Material',
  'national_legislative_drafting_workshop',
);

const PLAN: [string, DemoTarget, string, ReturnType<typeof N>[]][] = [
  ['KEN', 'completed', 'Incorporating the universal instruments into the Prevention of Terrorism Act', [LEGIS, CJ]],
  ['NGA', 'completed_with_follow_up', 'Training of judges and prosecutors on terrorism cases', [CJ]],
  ['IDN', 'completed', 'Strengthening the financial intelligence unit', [CFT]],
  ['COL', 'completed', 'Mutual legal assistance and extradition capacity', [COOP]],
  ['JOR', 'follow_up', 'Ratification of the remaining universal instruments', [RATIFY]],
  ['MAR', 'follow_up', 'Maritime security legislation', [MARITIME]],
  ['PHL', 'follow_up', 'Asset freezing under resolution 1373', [CFT]],
  ['YEM', 'delivery', 'Criminal justice response to terrorism', [CJ, LEGIS]],
  ['PAK', 'delivery', 'Investigating and prosecuting terrorist financing', [CFT]],
  ['MLI', 'delivery', 'Legislative drafting for the Sahel counter-terrorism framework', [LEGIS]],
  ['NER', 'awaiting_funding', 'Training of trainers at the national judicial school', [CJ]],
  ['TCD', 'awaiting_funding', 'International cooperation in criminal matters', [COOP]],
  ['ETH', 'plan_proposed', 'Review of the anti-terrorism proclamation', [LEGIS]],
  ['DZA', 'plan_proposed', 'Nuclear security offences', [CBRN]],
  ['PER', 'plan_proposed', 'Terrorist financing risk assessment follow-up', [CFT]],
  [
    'GTM',
    'external_pending',
    'Border control and document security',
    [N('border_management', 'Train border officials on travel document fraud', 'national_training_workshop')],
  ],
  ['BGD', 'external_pending', 'Financial intelligence unit IT systems', [CFT]],
  [
    'AFG',
    'external_delivered',
    'Victims of terrorism support framework',
    [
      N(
        'victims_witnesses',
        'Design support and protection measures for victims and witnesses',
        'national_training_workshop',
      ),
    ],
  ],
  [
    'SEN',
    'external_delivered',
    'Aviation security regulations',
    [N('transport_terrorism', 'Implement the 2010 Beijing Convention in civil aviation law', 'remote_legal_advice')],
  ],
  [
    'BFA',
    'external_not_delivered',
    'Countering the use of the Internet for terrorist purposes',
    [N('internet_terrorist_use', 'Train investigators on online evidence', 'national_training_workshop')],
  ],
  [
    'TUN',
    'awaiting_information',
    'Human rights compliant counter-terrorism investigations',
    [N('human_rights_rule_of_law', 'Rule-of-law safeguards in terrorism investigations', 'national_training_workshop')],
  ],
  [
    'UZB',
    'awaiting_information',
    'National counter-terrorism strategy',
    [
      N(
        'national_strategies_coordination',
        'Support drafting a national counter-terrorism strategy',
        'remote_legal_advice',
      ),
    ],
  ],
  ['KAZ', 'cted_review', 'Report to the 1540 Committee', [REPORT]],
  ['VNM', 'cted_review', 'Ratification of the 2005 SUA Protocol', [RATIFY]],
  ['ECU', 'cted_review', 'Judicial cooperation platform', [COOP]],
  ['MRT', 'cted_review', 'Terrorist financing typologies', [CFT]],
  ['LBN', 'declined', 'Duplicate request on legislative review', [LEGIS]],
  ['PNG', 'declined', 'General capacity building', [CJ]],
  [
    'CMR',
    'withdrawn',
    'Incitement to terrorism legislation (resolution 1624)',
    [
      N(
        'incitement_violent_extremism',
        'Draft provisions on incitement consistent with resolution 1624',
        'national_legislative_drafting_workshop',
      ),
    ],
  ],
  ['LKA', 'withdrawn', 'Prosecutors training', [CJ]],
  ['SDN', 'overdue_review', 'Counter-terrorism legislation review', [LEGIS]],
  ['SOM', 'overdue_review', 'Criminal justice capacity', [CJ]],
  ['IRQ', 'overdue_review', 'Financial intelligence', [CFT]],
  ['NPL', 'lapsed', 'Ratification assistance', [RATIFY]],
  [
    'HTI',
    'lapsed',
    'Border management',
    [N('border_management', 'Border control at land crossings', 'national_training_workshop')],
  ],
  ['UGA', 'evaluation_not_received', 'Drafting workshop on the Anti-Terrorism Act', [LEGIS]],
];

export const DEMO_SCENARIOS: DemoScenario[] = PLAN.map(([memberState, target, title, needs]) => ({
  memberState,
  target,
  title,
  needs,
}));
