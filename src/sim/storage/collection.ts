import { type Document, ObjectId } from 'bson';

/** A collection's data: every document's versions (for snapshots), its indexes and options. */
export interface IndexSpec {
  name: string;
  key: Document;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  [option: string]: unknown;
}

export interface Version {
  ts: number;
  doc: Document | null;
}

export class CollectionData {
  readonly versions = new Map<string, Version[]>();
  readonly indexes: IndexSpec[] = [{ name: '_id_', key: { _id: 1 } }];
  readonly uuid = new ObjectId();
  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Document = {},
  ) {}
  get ns(): string {
    return `${this.db}.${this.name}`;
  }
  /** Takes over what a transaction set up on its private copy (indexes, options) when it commits. */
  adopt(from: CollectionData): void {
    this.indexes.splice(0, this.indexes.length, ...from.indexes);
    Object.assign(this.options, from.options);
  }
}
