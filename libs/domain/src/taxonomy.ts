/** Thematic areas, as the UN reports group technical assistance (see BRIEF.md). */
export const THEMATIC_AREAS = [
  'ratification',
  'legislative_incorporation',
  'criminal_justice_capacity',
  'international_cooperation',
  'countering_terrorist_financing',
  'cbrn_terrorism',
  'transport_terrorism',
  'internet_terrorist_use',
  'victims_witnesses',
  'human_rights_rule_of_law',
  'sc_committee_reporting',
  'border_management',
  'incitement_violent_extremism',
  'national_strategies_coordination',
] as const;
export type ThematicArea = (typeof THEMATIC_AREAS)[number];

export type ActivityLevel =
  'remote' | 'national' | 'bilateral' | 'subregional' | 'regional' | 'international' | 'online';

/** Delivery modalities with the level reports count them at. */
export const MODALITIES: Record<string, ActivityLevel> = {
  remote_legal_advice: 'remote',
  national_legislative_drafting_workshop: 'national',
  national_training_workshop: 'national',
  vienna_intensive_working_session: 'national',
  bilateral_workshop: 'bilateral',
  subregional_workshop: 'subregional',
  regional_workshop: 'regional',
  international_workshop: 'international',
  online_course: 'online',
  live_expert_chat: 'online',
  training_of_trainers: 'national',
  mock_trial: 'national',
  study_visit: 'bilateral',
  treaty_compilation: 'national',
  judicial_platform_support: 'regional',
  sc_reporting_assistance: 'national',
};
export const MODALITY_CODES = Object.keys(MODALITIES);

/** Levels at which one activity may serve several States' requests (a shared activity). */
export const SHARED_ACTIVITY_LEVELS: readonly ActivityLevel[] = ['subregional', 'regional', 'international'];
/** Format of a shared activity key, e.g. RW-2027-EAST-AFRICA-CFT. */
export const SHARED_KEY_PATTERN = /^[A-Z0-9-]{3,60}$/;

export const PROFESSIONS = [
  'judge',
  'prosecutor',
  'police',
  'defence',
  'corrections',
  'legislator',
  'financial_intelligence',
  'border_official',
  'diplomat',
  'other',
] as const;

/**
 * Codes of the 19 universal legal instruments against terrorism (seeds/data/universal-instruments.json,
 * where each has its full title and date; a unit test keeps the two equal). A ratification names one.
 */
export const UNIVERSAL_INSTRUMENTS = [
  '1963-TOKYO',
  '1970-HAGUE',
  '1971-MONTREAL',
  '1973-IPP',
  '1979-HOSTAGES',
  '1980-CPPNM',
  '1988-AIRPORTS',
  '1988-SUA',
  '1988-FIXED-PLATFORMS',
  '1991-PLASTIC-EXPLOSIVES',
  '1997-BOMBINGS',
  '1999-FINANCING',
  '2005-NUCLEAR-TERRORISM',
  '2005-CPPNM-AMENDMENT',
  '2005-SUA-PROTOCOL',
  '2005-FIXED-PLATFORMS-PROTOCOL',
  '2010-BEIJING-CONVENTION',
  '2010-BEIJING-PROTOCOL',
  '2014-MONTREAL-PROTOCOL',
] as const;
export type UniversalInstrument = (typeof UNIVERSAL_INSTRUMENTS)[number];
