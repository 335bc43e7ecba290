import { InitialSchema1795481299416 } from './1795481299416-InitialSchema';
import { ReferenceData1795482240995 } from './1795482240995-ReferenceData';
import { SharedActivities1795485215660 } from './1795485215660-SharedActivities';
import { WorkQueueIndex1795486713256 } from './1795486713256-WorkQueueIndex';
import { SessionsAndLanguage1795970864095 } from './1795970864095-SessionsAndLanguage';
import { Notifications1795971077467 } from './1795971077467-Notifications';
import { RequestDeadlineConfig1795971216939 } from './1795971216939-RequestDeadlineConfig';
import { ListSearchIndexes1795971572540 } from './1795971572540-ListSearchIndexes';
import { StageStays1795971578780 } from './1795971578780-StageStays';
import { SharedActivityClaims1795972754610 } from './1795972754610-SharedActivityClaims';
import { RequestUrgency1795981926128 } from './1795981926128-RequestUrgency';
import { Assignment1795981956242 } from './1795981956242-Assignment';
import { RequestReferrals1795990000000 } from './1795990000000-RequestReferrals';
import { DeliveredActivities1795990000001 } from './1795990000001-DeliveredActivities';
import { RequestEventFacts1795990000002 } from './1795990000002-RequestEventFacts';
import { PledgeDuplicates1795990000003 } from './1795990000003-PledgeDuplicates';
import { FileRequestFunction1795990000004 } from './1795990000004-FileRequestFunction';
import { SessionRotatedAt1796006869604 } from './1796006869604-SessionRotatedAt';
import { ReportSummaries1796010000000 } from './1796010000000-ReportSummaries';

// Listed explicitly so every process runs the same set, in order.
export const MIGRATIONS: Function[] = [
  InitialSchema1795481299416,
  ReferenceData1795482240995,
  SharedActivities1795485215660,
  WorkQueueIndex1795486713256,
  SessionsAndLanguage1795970864095,
  Notifications1795971077467,
  RequestDeadlineConfig1795971216939,
  ListSearchIndexes1795971572540,
  StageStays1795971578780,
  SharedActivityClaims1795972754610,
  RequestUrgency1795981926128,
  Assignment1795981956242,
  RequestReferrals1795990000000,
  DeliveredActivities1795990000001,
  RequestEventFacts1795990000002,
  PledgeDuplicates1795990000003,
  FileRequestFunction1795990000004,
  SessionRotatedAt1796006869604,
  ReportSummaries1796010000000,
];
