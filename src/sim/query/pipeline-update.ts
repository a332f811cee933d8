import type { Document } from 'bson';
import { Aggregator, ProcessingMode } from 'mingo';
import { Codes, CommandError } from '../errors.ts';
import { keyOf, plain, plainDoc } from '../values.ts';
import { indexById, retype, widestKind } from './retype.ts';

/** The stages mongod accepts in an update pipeline. */
const UPDATE_STAGES = new Set(['$set', '$addFields', '$unset', '$project', '$replaceWith', '$replaceRoot']);

/** A pipeline-style update on one document, through mingo on its plain view; stored types are kept (retype). */
export function pipelineUpdate(doc: Document, stages: Document[]): Document {
  for (const stage of stages) {
    const op = Object.keys(stage)[0];
    if (!UPDATE_STAGES.has(op))
      throw new CommandError(Codes.InvalidOptions, `${op} is not allowed to be used within an update`);
  }
  const [out] = new Aggregator(plain(stages) as Document[], { processingMode: ProcessingMode.CLONE_INPUT }).run([
    plainDoc(doc),
  ]) as Document[];
  const next = retype(out, doc, widestKind([doc], stages), indexById([doc])) as Document;
  if (doc._id !== undefined && keyOf(next._id) !== keyOf(doc._id))
    throw new CommandError(
      Codes.ImmutableField,
      "After applying the update, the (immutable) field '_id' was found to have been altered",
    );
  const { _id, ...rest } = next;
  return _id === undefined ? rest : { _id, ...rest };
}
