import { MODALITIES, THEMATIC_AREAS, UNIVERSAL_INSTRUMENTS } from '@app/domain';
import { readSeedFile } from './seed-files';

// The domain validates codes against its constants; the reference data the pickers show comes from
// the seed files. The two must name the same codes, or a picker would offer what a validator refuses.
describe('the domain taxonomy and the reference data name the same codes', () => {
  const codes = (file: string) => readSeedFile<{ code: string }>(file).items.map((i) => i.code);

  it('thematic areas', () => {
    expect([...THEMATIC_AREAS].sort()).toEqual(codes('thematic-areas.json').sort());
  });

  it('delivery modalities, with their level', () => {
    const seeded = readSeedFile<{ code: string; level: string }>('delivery-modalities.json').items;
    expect(Object.fromEntries(seeded.map((m) => [m.code, m.level]))).toEqual(MODALITIES);
  });

  it('the 19 universal instruments', () => {
    expect([...UNIVERSAL_INSTRUMENTS]).toEqual(codes('universal-instruments.json'));
    expect(UNIVERSAL_INSTRUMENTS).toHaveLength(19);
  });
});
