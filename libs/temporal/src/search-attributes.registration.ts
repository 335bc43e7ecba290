import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { CUSTOM_SEARCH_ATTRIBUTES } from '@app/contracts';

const INDEXED = temporal.api.enums.v1.IndexedValueType;
const TYPES = {
  Keyword: INDEXED.INDEXED_VALUE_TYPE_KEYWORD,
  KeywordList: INDEXED.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  Bool: INDEXED.INDEXED_VALUE_TYPE_BOOL,
} as const;

/**
 * Registers CTAP's search attributes on a server that did not get them at start (a cluster,
 * the time-skipping test server). Attributes that already exist are left alone.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const searchAttributes = Object.fromEntries(
    Object.entries(CUSTOM_SEARCH_ATTRIBUTES).map(([name, type]) => [name, TYPES[type]]),
  );
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (err) {
    if (!/already exists/i.test((err as Error).message)) throw err;
  }
}
