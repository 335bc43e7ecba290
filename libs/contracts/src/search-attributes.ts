import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes: codes only, never personal data (they are stored unencrypted). */
export const SA_STAGE = defineSearchAttributeKey('CtapStage', SearchAttributeType.KEYWORD);
export const SA_MEMBER_STATE = defineSearchAttributeKey('CtapMemberState', SearchAttributeType.KEYWORD);
export const SA_REGION = defineSearchAttributeKey('CtapRegion', SearchAttributeType.KEYWORD);
export const SA_THEMATIC_AREAS = defineSearchAttributeKey('CtapThematicAreas', SearchAttributeType.KEYWORD_LIST);
export const SA_OVERDUE = defineSearchAttributeKey('CtapOverdue', SearchAttributeType.BOOL);

/** `name=Type` pairs for `temporal server start-dev --search-attribute` and operator registration. */
export const CUSTOM_SEARCH_ATTRIBUTES: Record<string, 'Keyword' | 'KeywordList' | 'Bool'> = {
  CtapStage: 'Keyword',
  CtapMemberState: 'Keyword',
  CtapRegion: 'Keyword',
  CtapThematicAreas: 'KeywordList',
  CtapOverdue: 'Bool',
};

/** A value Temporal accepts as a Keyword (a short non-blank string without control characters), else undefined. */
export function keyword(value: unknown): string | undefined {
  // eslint-disable-next-line no-control-regex
  return typeof value === 'string' && /^[^\u0000-\u001f]{1,255}$/.test(value) && value.trim() ? value : undefined;
}

/** A KeywordList: the well-formed keywords of `values`, each once (anything else is left out). */
export function keywords(values: unknown): string[] {
  if (!Array.isArray(values)) return [];
  return [...new Set(values.map(keyword).filter((v): v is string => v !== undefined))];
}
