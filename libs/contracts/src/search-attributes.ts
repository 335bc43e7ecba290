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
