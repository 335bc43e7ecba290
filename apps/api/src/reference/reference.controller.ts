import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PROFESSIONS, Role } from '@app/domain';
import { OrganisationRow, ReferenceDataRepository } from '@app/persistence';
import { Roles } from '../auth/access.decorators';
import { ReferenceDataDto } from './reference.dto';

/** Reference data for pickers: small, read-only, and the same for every caller. */
@ApiTags('reference')
@Controller('api/v1/reference-data')
export class ReferenceController {
  constructor(private readonly reference: ReferenceDataRepository) {}

  @Get()
  @Roles(Role.MemberState, Role.CtedOfficer, Role.UnodcManager, Role.CtedSupervisor, Role.UnodcSupervisor, Role.Admin)
  @ApiOperation({
    summary: 'Member States, regions, thematic areas, modalities, instruments, partners and donors',
    description:
      'One document for every picker. Names are in English as the UN sources give them; Member States carry their ISO alpha-2 code so a client can show the localised country name.',
  })
  @ApiOkResponse({ type: ReferenceDataDto })
  async all(@Res({ passthrough: true }) res: Response): Promise<ReferenceDataDto> {
    const {
      memberStates: states,
      thematicAreas: themes,
      modalities,
      instruments,
      partners,
      donors,
    } = await this.reference.all();
    const regions = new Map<string, Set<string>>();
    for (const s of states) {
      if (!regions.has(s.region)) regions.set(s.region, new Set());
      regions.get(s.region)!.add(s.subregion);
    }
    res.setHeader('Cache-Control', 'private, max-age=3600');
    return {
      memberStates: states.map((s) => ({
        iso3: s.iso3.trim(),
        iso2: s.iso2.trim(),
        name: s.name,
        region: s.region,
        subregion: s.subregion,
      })),
      regions: [...regions]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, subs]) => ({ name, subregions: [...subs].sort() })),
      thematicAreas: themes,
      modalities,
      instruments: instruments.map((i) => ({
        code: i.code,
        shortTitle: i.short_title,
        title: i.title,
        year: i.year,
      })),
      partners: partners.map(org),
      donors: donors.map(org),
      professions: [...PROFESSIONS],
    };
  }
}

const org = (o: OrganisationRow) => ({ code: o.code, name: o.name, nameZh: o.name_zh, kind: o.kind });
