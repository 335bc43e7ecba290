import { CtedVisitEntity } from './cted-visit.entity';
import { DeliveryModalityEntity } from './delivery-modality.entity';
import { DonorContributionEntity } from './donor-contribution.entity';
import { DonorEntity } from './donor.entity';
import { PartnerOrganisationEntity } from './partner-organisation.entity';
import { ReportedStateAssistedEntity } from './reported-state-assisted.entity';
import { ThematicAreaEntity } from './thematic-area.entity';
import { UniversalInstrumentEntity } from './universal-instrument.entity';

export {
  CtedVisitEntity,
  DeliveryModalityEntity,
  DonorContributionEntity,
  DonorEntity,
  PartnerOrganisationEntity,
  ReportedStateAssistedEntity,
  ThematicAreaEntity,
  UniversalInstrumentEntity,
};

/** Reference data loaded by seeds/src/reference-loaders.ts; read by the reports. */
export const REFERENCE_ENTITIES = [
  CtedVisitEntity,
  DeliveryModalityEntity,
  DonorContributionEntity,
  DonorEntity,
  PartnerOrganisationEntity,
  ReportedStateAssistedEntity,
  ThematicAreaEntity,
  UniversalInstrumentEntity,
];
