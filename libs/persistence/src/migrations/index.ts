import { InitialSchema1795481299416 } from './1795481299416-InitialSchema';
import { ReferenceData1795482240995 } from './1795482240995-ReferenceData';
import { SharedActivities1795485215660 } from './1795485215660-SharedActivities';
import { WorkQueueIndex1795486713256 } from './1795486713256-WorkQueueIndex';
import { ListSearchIndexes1795971572540 } from './1795971572540-ListSearchIndexes';
import { StageStays1795971578780 } from './1795971578780-StageStays';

// Listed explicitly so every process runs the same set, in order.
export const MIGRATIONS: Function[] = [
  InitialSchema1795481299416,
  ReferenceData1795482240995,
  SharedActivities1795485215660,
  WorkQueueIndex1795486713256,
  ListSearchIndexes1795971572540,
  StageStays1795971578780,
];
