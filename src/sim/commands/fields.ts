import type { Document } from 'bson';
import { Codes, CommandError } from '../errors.ts';

/** Fields mongod accepts on every command (generic arguments: sessions, transactions, concerns, API version...). */
const GENERIC = new Set([
  '$db',
  'lsid',
  'txnNumber',
  'autocommit',
  'startTransaction',
  'stmtId',
  'stmtIds',
  '$clusterTime',
  '$readPreference',
  'readConcern',
  'writeConcern',
  'maxTimeMS',
  'maxTimeMSOpOnly',
  'comment',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'txnRetryCounter',
  'mayBypassWriteBlocking',
  'rawData',
  '$audit',
  '$client',
  '$configServerState',
  'databaseVersion',
  'shardVersion',
  'encryptionInformation',
  'clientOperationKey',
  'expectPrefix',
]);

/** Command-specific fields of the commands wallets send, as mongod's IDL defines them. */
const SPECIFIC: Record<string, string[]> = {
  find: [
    'filter',
    'projection',
    'sort',
    'hint',
    'skip',
    'limit',
    'batchSize',
    'singleBatch',
    'let',
    'min',
    'max',
    'returnKey',
    'showRecordId',
    'tailable',
    'oplogReplay',
    'noCursorTimeout',
    'awaitData',
    'allowPartialResults',
    'collation',
    'allowDiskUse',
    'readOnce',
    'allowSpeculativeMajorityRead',
    'term',
    'resumeAfter',
    'startAt',
    'requestResumeToken',
    'includeQueryStatsMetrics',
  ],
  aggregate: [
    'pipeline',
    'explain',
    'allowDiskUse',
    'cursor',
    'bypassDocumentValidation',
    'collation',
    'hint',
    'let',
    'isMapReduceCommand',
    'collectionUUID',
    'includeQueryStatsMetrics',
  ],
  count: ['query', 'limit', 'skip', 'hint', 'collation', 'fields'],
  distinct: ['key', 'query', 'collation', 'hint'],
  insert: ['documents', 'ordered', 'bypassDocumentValidation', 'collectionUUID', 'isTimeseriesNamespace', 'let'],
  update: ['updates', 'ordered', 'bypassDocumentValidation', 'let', 'collectionUUID', 'isTimeseriesNamespace'],
  delete: ['deletes', 'ordered', 'let', 'collectionUUID', 'isTimeseriesNamespace', 'bypassDocumentValidation'],
  findAndModify: [
    'query',
    'fields',
    'sort',
    'remove',
    'update',
    'new',
    'upsert',
    'bypassDocumentValidation',
    'collation',
    'arrayFilters',
    'hint',
    'let',
    'collectionUUID',
    'isTimeseriesNamespace',
  ],
};
SPECIFIC.findandmodify = SPECIFIC.findAndModify;

const NUMERIC_FIELDS: Record<string, string[]> = {
  find: ['skip', 'limit', 'batchSize'],
  count: ['skip', 'limit'],
};
const DOCUMENT_FIELDS: Record<string, string[]> = {
  find: ['filter', 'projection', 'sort'],
  count: ['query'],
  distinct: ['query'],
  findAndModify: ['query', 'sort', 'fields'],
};

const isNumber = (v: unknown) =>
  typeof v === 'number' ||
  (Boolean(v) &&
    typeof v === 'object' &&
    ['Int32', 'Double', 'Long', 'Decimal128'].includes((v as Document)._bsontype));
const isDocument = (v: unknown) =>
  Boolean(v) && typeof v === 'object' && !Array.isArray(v) && (v as Document)._bsontype === undefined;

/**
 * Refuses what mongod refuses before running a command: unknown fields (IDL error 40415) and fields of the wrong
 * type (TypeMismatch), so a wallet sending an option the simulator would silently ignore learns it at once.
 */
export function checkFields(name: string, body: Document): void {
  const specific = SPECIFIC[name];
  if (!specific) return;
  for (const field of Object.keys(body).slice(1)) {
    if (GENERIC.has(field) || specific.includes(field) || field.startsWith('$_')) continue;
    throw new CommandError(Codes.IDLUnknownField, `BSON field '${name}.${field}' is an unknown field.`);
  }
  for (const field of NUMERIC_FIELDS[name] ?? [])
    if (body[field] !== undefined && !isNumber(body[field]))
      throw new CommandError(
        Codes.TypeMismatch,
        `BSON field '${name}.${field}' is the wrong type '${typeof body[field]}', expected types '[long, int, decimal, double]'`,
      );
  for (const field of DOCUMENT_FIELDS[name] ?? [])
    if (body[field] !== undefined && body[field] !== null && !isDocument(body[field]))
      throw new CommandError(
        Codes.TypeMismatch,
        `BSON field '${name}.${field}' is the wrong type '${typeof body[field]}', expected type 'object'`,
      );
}
